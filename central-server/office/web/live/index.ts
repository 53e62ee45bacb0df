// The live intake view of the office dashboard (issue 8): /office/ and /office/events.
import { z } from 'zod';
import { IdSchema, type ElectionIndex } from '../../../../election/index.ts';
import { DISTRICT_STATES } from '../../live/district-state.ts';
import type { LiveFeed } from '../../live/feed.ts';
import { pollsCloseAt, POLLS_CLOSE } from '../../live/polls-close.ts';
import { officeRequest } from '../context.ts';
import type { OfficeMount } from '../web.ts';
import { T } from './messages.ts';
import { overviewBody } from './page.ts';
import { DEFAULT_STREAM_LIMITS, LiveStream, type StreamLimits } from './stream.ts';

export { LiveStream, DEFAULT_STREAM_LIMITS, type StreamLimits } from './stream.ts';

export type LiveViewDeps = {
  readonly feed: LiveFeed;
  readonly index: ElectionIndex;
  readonly clock: () => Date;
  readonly timeZone?: string;
  readonly limits?: StreamLimits;
  /** districts per page of the list */
  readonly pageSize?: number;
};

export type LiveView = {
  readonly mount: OfficeMount;
  /** ends every event stream (before the HTTP server closes) */
  close(): void;
};

// Query strings are hostile like every input: parsed, and refused with a code when malformed.
const OverviewQuerySchema = z.strictObject({
  area: IdSchema.optional(),
  state: z.union([z.enum(DISTRICT_STATES), z.literal('')]).optional(),
  page: z.coerce.number().int().min(1).max(1_000_000).optional(),
  lang: z.enum(['de', 'en']).optional(),
});
const EventsQuerySchema = z.strictObject({
  area: IdSchema.optional(),
  since: z
    .string()
    .max(64)
    .regex(/^[0-9a-z.-]+$/)
    .optional(),
  lang: z.enum(['de', 'en']).optional(),
});
const LastEventIdSchema = z
  .string()
  .max(64)
  .regex(/^[0-9a-z.-]+$/);

const BAD_QUERY = {
  status: 400,
  code: 'INVALID_REQUEST',
  message: {
    de: 'Die Adresse enthält ungültige Filter.',
    en: 'The address holds invalid filters.',
  },
};
const AREA_UNKNOWN = {
  status: 404,
  code: 'AREA_UNKNOWN',
  message: { de: 'Dieses Gebiet gibt es nicht.', en: 'There is no such area.' },
};
const TOO_MANY_STREAMS = {
  status: 503,
  code: 'SERVER_BUSY',
  message: {
    de: 'Zu viele offene Live-Ansichten. Bitte später neu laden.',
    en: 'Too many open live views. Please reload later.',
  },
};

/** The live view's routes and its event stream (docs/decisions/0087); every role may read it. */
export function createLiveView(deps: LiveViewDeps): LiveView {
  const { feed, index, clock } = deps;
  const timeZone = deps.timeZone ?? POLLS_CLOSE.timeZone;
  const closeAt = pollsCloseAt(index.definition.date, { ...POLLS_CLOSE, timeZone });
  const pageSize = deps.pageSize ?? 50;
  const root = index.definition.areas.find((a) => a.parentId === null)?.id ?? '';
  const districtName = (id: string) => {
    const p = index.precinct(id);
    return p === undefined ? id : `${p.number} ${p.name}`;
  };
  const stream = new LiveStream({
    feed,
    index,
    clock,
    timeZone,
    pollsCloseAt: closeAt,
    limits: deps.limits ?? DEFAULT_STREAM_LIMITS,
    districtName,
  });

  const mount: OfficeMount = (router, web) => {
    router.get('/', web.requireRole(), (req, res) => {
      const { lang } = officeRequest(res);
      const parsed = OverviewQuerySchema.safeParse(req.query);
      if (!parsed.success) return web.refuse(res, BAD_QUERY);
      const areaId = parsed.data.area ?? root;
      if (index.area(areaId) === undefined) return web.refuse(res, AREA_UNKNOWN);
      const state = parsed.data.state === '' ? undefined : parsed.data.state;
      // the page and the stream agree: what changed so far is published before rendering
      feed.publish();
      const counts = feed.board.counts(areaId);
      const matching =
        state === undefined
          ? counts.reduce((a, b) => a + b, 0)
          : (counts[DISTRICT_STATES.indexOf(state)] ?? 0);
      const lastPage = Math.max(1, Math.ceil(matching / pageSize));
      web.render(res, {
        title: T.title[lang],
        active: 'live',
        scripts: ['live.js'],
        body: overviewBody({
          board: feed.board,
          index,
          lang,
          query: { areaId, state, page: Math.min(parsed.data.page ?? 1, lastPage) },
          pageSize,
          now: clock(),
          pollsCloseAt: closeAt,
          timeZone,
          version: feed.currentId,
          districtName,
        }),
      });
    });

    router.get('/events', web.requireRole(), (req, res) => {
      const { lang } = officeRequest(res);
      const parsed = EventsQuerySchema.safeParse(req.query);
      const header = req.header('last-event-id');
      const lastId = header === undefined ? undefined : LastEventIdSchema.safeParse(header);
      if (!parsed.success || lastId?.success === false) return web.refuse(res, BAD_QUERY);
      const areaId = parsed.data.area ?? root;
      if (index.area(areaId) === undefined) return web.refuse(res, AREA_UNKNOWN);
      // the browser sends Last-Event-ID when it reconnects; the first time, the page's version
      const resumeFrom = lastId?.data ?? parsed.data.since;
      if (!stream.open(res, { areaId, lang }, resumeFrom)) {
        res.setHeader('Retry-After', '30');
        web.refuse(res, TOO_MANY_STREAMS);
      }
    });
  };

  return { mount, close: () => stream.close() };
}
