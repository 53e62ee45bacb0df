import type { ServerResponse } from 'node:http';
import type { ElectionIndex } from '../../../../election/index.ts';
import type { BoardDelta } from '../../live/board.ts';
import { REPORTED_STATES, stateSlot } from '../../live/district-state.ts';
import type { FeedUpdate, LiveFeed, PublishedDelta } from '../../live/feed.ts';
import { minutesSincePollsClosed } from '../../live/polls-close.ts';
import {
  alertLevel,
  alertText,
  ATTEMPT_LABEL,
  formatTime,
  refusalReason,
  STATE_BADGE,
  STATE_LABEL,
  type Lang,
} from './messages.ts';

export type StreamLimits = {
  /** open event streams at most (each holds a connection); more are answered 503 */
  readonly maxClients: number;
  /** bytes queued for one slow client before it is dropped (it reconnects and resumes) */
  readonly maxBufferBytes: number;
  /** a `tick` event this often: keeps proxies from closing the stream, carries the time */
  readonly heartbeatMs: number;
  /** changed districts sent per event at most; beyond, the client is told there are more */
  readonly maxDistricts: number;
};

export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  maxClients: 100,
  maxBufferBytes: 256 * 1024,
  heartbeatMs: 15_000,
  maxDistricts: 200,
};

/** What a client watches: an area (its counts and its children's) in a language. */
export type StreamView = { readonly areaId: string; readonly lang: Lang };

type Client = { readonly res: ServerResponse; readonly view: StreamView };

export type StreamDeps = {
  readonly feed: LiveFeed;
  readonly index: ElectionIndex;
  readonly clock: () => Date;
  readonly timeZone: string;
  readonly pollsCloseAt: Date;
  readonly limits: StreamLimits;
  /** "0101 Schule Nord" */
  readonly districtName: (precinctId: string) => string;
};

/**
 * The server-sent event stream of /office/events: every published delta, cut to what the
 * client's view shows (its area's counts and its children's, the changed districts inside it,
 * new alerts and refusals as text in its language), a heartbeat, resume after a reconnect from
 * Last-Event-ID (or a `resync` when that is no longer kept), a cap on clients and on each
 * client's unsent bytes (docs/decisions/0087).
 */
export class LiveStream {
  private readonly clients = new Set<Client>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: StreamDeps) {
    this.unsubscribe = deps.feed.subscribe((update) => this.broadcast(update));
    this.heartbeat = setInterval(() => this.tick(), deps.limits.heartbeatMs);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Takes over `res` as an event stream; false (nothing written) when the cap is reached. */
  open(res: ServerResponse, view: StreamView, lastEventId: string | undefined): boolean {
    if (this.clients.size >= this.deps.limits.maxClients) return false;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      // nginx must pass events through at once, not buffer them
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    const client: Client = { res, view };
    this.clients.add(client);
    res.on('close', () => this.clients.delete(client));
    this.write(client, 'retry: 3000\n\n');
    const missed = lastEventId === undefined ? undefined : this.deps.feed.deltasAfter(lastEventId);
    if (missed === undefined) this.resync(client);
    else for (const published of missed) this.send(client, published);
    return true;
  }

  /** Ends every stream (before the server closes: open streams would keep it waiting). */
  close(): void {
    clearInterval(this.heartbeat);
    this.unsubscribe();
    for (const client of this.clients) client.res.end();
    this.clients.clear();
  }

  private broadcast(update: FeedUpdate): void {
    for (const client of this.clients) {
      if (update.kind === 'resync') this.resync(client);
      else this.send(client, update.published);
    }
  }

  private tick(): void {
    const data = JSON.stringify(this.time());
    for (const client of this.clients) this.write(client, `event: tick\ndata: ${data}\n\n`);
  }

  private time() {
    const now = this.deps.clock();
    return {
      now: now.toISOString(),
      minutes: minutesSincePollsClosed(this.deps.pollsCloseAt, now),
    };
  }

  /** The client cannot resume: the counts it shows now, and the advice to reload the lists. */
  private resync(client: Client): void {
    const { feed } = this.deps;
    feed.publish();
    const areas = this.watched(client.view.areaId).map((areaId) => ({
      areaId,
      counts: feed.board.counts(areaId),
    }));
    const data = { ...this.time(), counts: this.counts(areas) };
    this.write(client, `id: ${feed.currentId}\nevent: resync\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private send(client: Client, published: PublishedDelta): void {
    const data = this.cut(published.delta, client.view);
    this.write(client, `id: ${published.id}\nevent: delta\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** The area and its children: the counts a view shows. */
  private watched(areaId: string): string[] {
    return [areaId, ...this.deps.index.children(areaId)];
  }

  private counts(areas: BoardDelta['areas']) {
    const out: Record<string, { reported: number; total: number; states: readonly number[] }> = {};
    for (const { areaId, counts } of areas) {
      out[areaId] = {
        reported: REPORTED_STATES.reduce((n, s) => n + (counts[stateSlot(s)] ?? 0), 0),
        total: counts.reduce((a, b) => a + b, 0),
        states: counts,
      };
    }
    return out;
  }

  /** A delta as one client's view needs it. */
  private cut(delta: BoardDelta, view: StreamView) {
    const { index, limits, timeZone, districtName } = this.deps;
    const { lang, areaId } = view;
    const watched = new Set(this.watched(areaId));
    const inside = delta.districts.filter((d) => {
      const precinct = index.precinct(d.precinctId);
      return precinct !== undefined && index.ancestors(precinct.areaId).includes(areaId);
    });
    return {
      ...this.time(),
      counts: this.counts(delta.areas.filter((a) => watched.has(a.areaId))),
      districts: inside.slice(0, limits.maxDistricts).map((d) => ({
        id: d.precinctId,
        state: d.state,
        label: STATE_LABEL[d.state][lang],
        badge: STATE_BADGE[d.state],
      })),
      more: inside.length > limits.maxDistricts,
      alerts: delta.alerts.map((alert) => ({
        id: alert.id,
        level: alertLevel(alert),
        time: formatTime(alert.at, timeZone),
        text: alertText(alert, lang, districtName),
      })),
      refusals: delta.refusals.map((r) => ({
        time: formatTime(r.at, timeZone),
        code: r.code,
        reason: refusalReason(r.code, lang),
        station: r.precinctId !== null ? districtName(r.precinctId) : (r.origin ?? ''),
        attempt: ATTEMPT_LABEL[r.attempt][lang],
      })),
    };
  }

  /** Writes to one client; a client too slow to take its events is dropped (bounded memory). */
  private write(client: Client, text: string): void {
    const { res } = client;
    if (res.writableEnded || res.destroyed) return;
    if (res.writableLength > this.deps.limits.maxBufferBytes) {
      this.clients.delete(client);
      res.destroy();
      return;
    }
    res.write(text);
  }
}
