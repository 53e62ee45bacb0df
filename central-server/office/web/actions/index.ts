// The office's actions in the dashboard (issue 8, decisions/0089): the Telefon pages (phone
// confirmation, phoned-in results) and the Stationen pages (last contact, revoke, replace).
import type { OfficeMount } from '../web.ts';
import { mountPhone, type ActionPagesDeps } from './phone-routes.ts';
import { mountStations } from './station-routes.ts';

export type { ActionPagesDeps } from './phone-routes.ts';
export { STATIONS_PAGE_SIZE } from './station-routes.ts';

/** `createOfficeRouter(deps, [mountLive, mountActions(deps)])` */
export function mountActions(deps: ActionPagesDeps): OfficeMount {
  return (router, web) => {
    mountPhone(router, web, deps);
    mountStations(router, web, deps);
  };
}
