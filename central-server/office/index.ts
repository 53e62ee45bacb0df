// The election office's dashboard (issue 8): log-in, roles and users (auth/), the shared web layer
// (web/), the office's actions (actions/). Others mount their pages through `OfficeMount`.
import type express from 'express';
import type { AuditChain } from '../storage/audit-chain.ts';
import type { Logger } from '../logger.ts';
import type { WriteLock } from '../write-lock.ts';
import { serverAuditWriter } from './auth/audit-writer.ts';
import { OfficeAuth } from './auth/login.ts';
import type { OfficeUserStore } from './auth/store.ts';
import { OfficeUsers } from './auth/users.ts';
import { createOfficeRouter } from './web/router.ts';
import { mountUsers } from './web/users-page.ts';
import type { OfficeMount } from './web/web.ts';

export { OfficeAuthError, OFFICE_AUTH_REFUSALS, type OfficeAuthCode } from './auth/errors.ts';
export { OfficeUsers, type Enrolment, type OfficeUserSummary } from './auth/users.ts';
export type { OfficeMount, OfficeWeb, OfficePage } from './web/web.ts';

export type Office = {
  readonly router: express.Router;
  readonly users: OfficeUsers;
  /** every route of the dashboard (method, path under /office): for tests and docs */
  readonly routes: () => readonly OfficeRoute[];
};

export type OfficeRoute = { readonly method: string; readonly path: string };

type Layer = { route?: { path: unknown; methods: Record<string, boolean> } };

function listRoutes(router: express.Router): OfficeRoute[] {
  return (router.stack as Layer[]).flatMap((layer) =>
    layer.route === undefined || typeof layer.route.path !== 'string'
      ? []
      : Object.keys(layer.route.methods).map((m) => ({
          method: m.toUpperCase(),
          path: `/office${layer.route?.path as string}`,
        })),
  );
}

/**
 * The dashboard's router with its users page first, then `mounts` (the live view, the office
 * actions: server.ts lists them). Every write goes through the server's write lock with its
 * audit event.
 */
export function createOffice(
  deps: {
    readonly store: OfficeUserStore;
    readonly state: { readonly audit: AuditChain };
    readonly lock: WriteLock;
    readonly clock: () => Date;
    readonly logger: Logger;
    readonly https: boolean;
    /** shown in the authenticator app beside the user name */
    readonly issuer: string;
    /** the times on the pages (e.g. Europe/Berlin) */
    readonly timeZone: string;
  },
  mounts: readonly OfficeMount[],
): Office {
  const { store, clock } = deps;
  const audit = serverAuditWriter(deps);
  const auth = new OfficeAuth({ store, audit, clock });
  const users = new OfficeUsers({ store, audit, clock, issuer: deps.issuer });
  const router = createOfficeRouter(
    { auth, store, audit, clock, logger: deps.logger, https: deps.https },
    [mountUsers(users, clock, deps.timeZone), ...mounts],
  );
  return { router, users, routes: () => listRoutes(router) };
}

export { withOfficeUsers } from './offline-users.ts';
export { OFFICE_ROLES, type OfficeRole } from './web/context.ts';
export { PASSWORD_MIN_LENGTH } from './auth/password.ts';
