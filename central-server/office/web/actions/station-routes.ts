import { randomUUID } from 'node:crypto';
import type express from 'express';
import type { Request, Response } from 'express';
import type { Replacement, StationOverview } from '../../actions/index.ts';
import { officeRequest } from '../context.ts';
import type { OfficeWeb } from '../web.ts';
import { ReplaceFormSchema, RevokeFormSchema, StationsQuerySchema, sameNumber } from './forms.ts';
import { t } from './messages.ts';
import type { ActionPagesDeps } from './phone-routes.ts';
import { FORM_INVALID, fromServiceError, pageRefusal, type PageRefusal } from './refusals.ts';
import {
  replacePage,
  replacedPage,
  revokePage,
  revokedPage,
  stationPath,
  stationsPage,
  type StationActionModel,
} from './stations-view.ts';

/** stations per page: the list stays light with 90,652 districts */
export const STATIONS_PAGE_SIZE = 50;

const requestIdOf = (req: Request): string =>
  (req as Request & { requestId?: string }).requestId ?? randomUUID();

/** Case- and accent-blind search over id, number and name. */
const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

/**
 * The Stationen routes: every station's certificate and last contact (all roles read), revoking
 * and replacing a kit (admin, with the CA passphrase typed for that one action and the
 * district's number typed as explicit confirmation).
 */
export function mountStations(router: express.Router, web: OfficeWeb, deps: ActionPagesDeps): void {
  const { actions, index } = deps;
  const { stations } = actions;
  const everyone = web.requireRole('admin', 'operator', 'auditor');
  const adminOnly = web.requireRole('admin');
  // what a search compares with, folded once per district (the election does not change)
  let searchKeys: Map<string, string> | undefined;
  const searchKey = (precinctId: string): string => {
    searchKeys ??= new Map(
      index.definition.precincts.map((p) => [p.id, fold(`${p.id} ${p.number} ${p.name}`)]),
    );
    return searchKeys.get(precinctId) ?? '';
  };

  router.get('/stations', everyone, async (req, res) => {
    const office = officeRequest(res);
    const query = StationsQuerySchema.safeParse(req.query);
    const { q, page } = query.success ? query.data : { q: '', page: 1 };
    const all = await stations.overview();
    const counts = { ISSUED: 0, REVOKED: 0, NOT_ISSUED: 0 };
    for (const s of all) counts[s.status] += 1;
    const needle = fold(q.trim());
    const matching =
      needle === '' ? all : all.filter((s) => searchKey(s.precinctId).includes(needle));
    const pages = Math.max(1, Math.ceil(matching.length / STATIONS_PAGE_SIZE));
    const shown = Math.min(page, pages);
    web.render(res, {
      title: t(office.lang, 'stationsTitle'),
      active: 'stations',
      body: stationsPage({
        lang: office.lang,
        timeZone: deps.timeZone,
        now: deps.clock(),
        mayAct: office.user.role === 'admin',
        canIssue: await stations.canIssue(),
        query: q,
        page: shown,
        pages,
        rows: matching
          .slice((shown - 1) * STATIONS_PAGE_SIZE, shown * STATIONS_PAGE_SIZE)
          .map((s) => ({ ...s, number: index.precinct(s.precinctId)?.number ?? '' })),
        matching: matching.length,
        total: all.length,
        counts,
      }),
    });
  });

  /** the station named in the path, or a 404 page */
  async function stationOf(req: Request) {
    const { precinctId } = req.params as { precinctId: string };
    const precinct = index.precinct(precinctId);
    if (precinct === undefined) return undefined;
    const overview = (await stations.overview()).find((s) => s.precinctId === precinctId);
    return overview === undefined ? undefined : { ...overview, number: precinct.number };
  }

  function renderAction(
    res: Response,
    status: number,
    title: 'revokeTitle' | 'replaceTitle',
    body: (m: StationActionModel) => ReturnType<typeof revokePage>,
    station: StationOverview & { number: string },
    extra: Partial<StationActionModel> = {},
  ) {
    const office = officeRequest(res);
    web.render(res, {
      status,
      title: t(office.lang, title),
      active: 'stations',
      body: body({ lang: office.lang, csrfToken: office.csrfToken, station, ...extra }),
    });
  }

  const notFound = (res: Response) => {
    res.redirect(303, '/office/stations');
  };

  /** the last replacement per district since the server started: what its result page shows */
  const replaced = new Map<string, Replacement>();

  router.get('/stations/:precinctId/replaced', adminOnly, async (req, res) => {
    const station = await stationOf(req);
    const replacement = station === undefined ? undefined : replaced.get(station.precinctId);
    if (station === undefined || replacement === undefined) return notFound(res);
    renderAction(res, 200, 'replaceTitle', (m) => replacedPage({ ...m, replacement }), station);
  });

  for (const action of ['revoke', 'replace'] as const) {
    const title = action === 'revoke' ? 'revokeTitle' : 'replaceTitle';
    const form = action === 'revoke' ? revokePage : replacePage;

    router.get(`/stations/:precinctId/${action}`, adminOnly, async (req, res) => {
      const station = await stationOf(req);
      if (station === undefined) return notFound(res);
      renderAction(res, 200, title, form, station);
    });

    router.post(`/stations/:precinctId/${action}`, adminOnly, async (req, res) => {
      const office = officeRequest(res);
      const station = await stationOf(req);
      if (station === undefined) return notFound(res);
      const parsed = ReplaceFormSchema.safeParse(req.body);
      const revoke = RevokeFormSchema.safeParse(req.body);
      const reason = revoke.success ? revoke.data.reason : undefined;
      const refuse = async (refusal: PageRefusal) => {
        await web.audit({
          type: 'STATION_ACTION_REFUSED',
          actor: office.user,
          precinctId: station.precinctId,
          requestId: requestIdOf(req),
          detail: { action, code: refusal.code },
        });
        renderAction(res, refusal.status, title, form, station, {
          refusal,
          ...(reason === undefined ? {} : { reason }),
        });
      };
      if (!parsed.success || (action === 'revoke' && reason === undefined)) {
        return refuse(FORM_INVALID());
      }
      const { caPassphrase, confirmNumber } = parsed.data;
      if (!sameNumber(confirmNumber, station.number)) {
        return refuse(
          pageRefusal('CONFIRMATION_MISMATCH', 400, 'confirmMismatch', { number: station.number }),
        );
      }
      if (caPassphrase === '') {
        return refuse(pageRefusal('CA_PASSPHRASE_MISSING', 400, 'passphraseMissing'));
      }
      const input = {
        precinctId: station.precinctId,
        caPassphrase,
        user: office.user.name,
        requestId: requestIdOf(req),
      };
      try {
        if (reason !== undefined && action === 'revoke') {
          const { serial } = await stations.revoke({ ...input, reason });
          renderAction(res, 200, title, (m) => revokedPage({ ...m, serial }), station);
        } else {
          const replacement = await stations.replace(input);
          // shown by a GET, so that reloading the page never issues a second replacement
          replaced.set(station.precinctId, replacement);
          res.redirect(303, `${stationPath(station.precinctId, 'replace')}d`);
        }
      } catch (error) {
        await refuse(fromServiceError(error));
      }
    });
  }
}
