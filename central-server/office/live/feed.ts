import type { ElectionIndex } from '../../../election/index.ts';
import type { IntakeState } from '../../intake/intake-state.ts';
import type { Ledger, LedgerEntry, LedgerReport } from '../../intake/ledger.ts';
import type { Logger } from '../../logger.ts';
import { auditEvent, refusedRequestEvent } from './audit-events.ts';
import { LiveBoard, type BoardDelta } from './board.ts';
import type { AcceptedEvent } from './events.ts';
import type { LiveFeedStore } from './store.ts';

/** A published delta with the id it is sent under and the id it follows. */
export type PublishedDelta = {
  readonly id: string;
  readonly after: string;
  readonly delta: BoardDelta;
};

export type FeedUpdate =
  | { readonly kind: 'delta'; readonly published: PublishedDelta }
  /** the board was rebuilt (the intake state was reloaded): clients start again */
  | { readonly kind: 'resync' };

export type LiveFeedOptions = {
  /** how often the audit and refusal logs are read forward */
  readonly pollMs: number;
  /** how often changes are published as one delta */
  readonly publishMs: number;
  /** deltas kept for clients that reconnect (Last-Event-ID) */
  readonly history: number;
};

export type LiveFeedDeps = {
  readonly index: ElectionIndex;
  readonly state: Pick<IntakeState, 'ledger' | 'onCommitted'>;
  readonly store: LiveFeedStore;
  readonly clock: () => Date;
  readonly logger: Logger;
  readonly options: LiveFeedOptions;
};

export const DEFAULT_FEED_OPTIONS: LiveFeedOptions = {
  pollMs: 1_000,
  publishMs: 500,
  history: 120,
};

const PAGE = 2_000;

const acceptedEvent = (entry: LedgerReport): AcceptedEvent => ({
  kind: 'accepted',
  report: entry.schnellmeldung,
  sequence: entry.sequence,
  source: entry.source,
  at: entry.acceptedAt,
  ...(entry.resultIdentity === undefined ? {} : { resultIdentity: entry.resultIdentity }),
});

/**
 * The I/O shell around the live board: accepted reports come from the intake state after each
 * COMMIT (which on PostgreSQL includes the other servers' commits, intake/catch-up.ts); refused
 * attempts and phone confirmations are read forward from the audit and refusal logs (all
 * servers write there). Changes are published as one delta every `publishMs`; a reloaded intake
 * state (after a failed commit) rebuilds the board and tells every client to start again.
 */
export class LiveFeed {
  board: LiveBoard;
  private epoch: string;
  private rebuilds = 0;
  private ledger: Ledger;
  private auditCursor = 0;
  private refusalCursor = 0;
  private readonly history: PublishedDelta[] = [];
  private readonly listeners = new Set<(update: FeedUpdate) => void>();
  private pollTimer: NodeJS.Timeout | undefined;
  private publishTimer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private stopped = false;

  private constructor(private readonly deps: LiveFeedDeps) {
    this.board = new LiveBoard(deps.index);
    this.ledger = deps.state.ledger;
    this.epoch = deps.clock().getTime().toString(36);
  }

  static async start(deps: LiveFeedDeps): Promise<LiveFeed> {
    const feed = new LiveFeed(deps);
    await feed.rebuild();
    deps.state.onCommitted((entries) => feed.committed(entries));
    feed.pollTimer = setInterval(() => void feed.poll(), deps.options.pollMs);
    feed.pollTimer.unref();
    feed.publishTimer = setInterval(() => feed.publish(), deps.options.publishMs);
    feed.publishTimer.unref();
    return feed;
  }

  /** The id of the state the board shows now (after `publish`): what a page is rendered at. */
  get currentId(): string {
    return `${this.epoch}.${this.board.version}`;
  }

  /** The deltas after `id`, or undefined when they are no longer kept (the client resyncs). */
  deltasAfter(id: string): readonly PublishedDelta[] | undefined {
    if (id === this.currentId) return [];
    const from = this.history.findIndex((p) => p.after === id);
    return from === -1 ? undefined : this.history.slice(from);
  }

  subscribe(listener: (update: FeedUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Publishes what changed as one delta (also before a page is rendered, so both agree). */
  publish(): void {
    const after = this.currentId;
    const delta = this.board.takeDelta();
    if (delta === undefined) return;
    const published = { id: this.currentId, after, delta };
    this.history.push(published);
    if (this.history.length > this.deps.options.history) this.history.shift();
    for (const listener of this.listeners) listener({ kind: 'delta', published });
  }

  /** Reads the logs forward now (tests; the timer does it every `pollMs`). */
  poll(): Promise<void> {
    this.polling ??= this.readLogs()
      .catch((error: unknown) =>
        this.deps.logger.error({ err: error }, 'live board: reading the logs failed'),
      )
      .finally(() => (this.polling = undefined));
    return this.polling;
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearInterval(this.publishTimer);
    this.listeners.clear();
  }

  private committed(entries: readonly LedgerEntry[]): void {
    if (this.deps.state.ledger !== this.ledger) return; // a reload: the next poll rebuilds
    for (const entry of entries) this.board.apply(acceptedEvent(entry));
  }

  private async readLogs(): Promise<void> {
    if (this.stopped) return;
    if (this.deps.state.ledger !== this.ledger) {
      await this.rebuild();
      for (const listener of this.listeners) listener({ kind: 'resync' });
      return;
    }
    await this.drain();
  }

  /** The board from scratch: every current report, then both logs from their start. */
  private async rebuild(): Promise<void> {
    this.board = new LiveBoard(this.deps.index);
    this.ledger = this.deps.state.ledger;
    this.epoch = `${this.deps.clock().getTime().toString(36)}-${++this.rebuilds}`;
    this.history.length = 0;
    this.auditCursor = 0;
    this.refusalCursor = 0;
    for (const entry of this.ledger.currentEntries()) this.board.apply(acceptedEvent(entry));
    while (await this.drain()) {
      // a night's logs are read in pages until the cursors reach the end
    }
    this.board.takeDelta(); // what a fresh board holds is the page, not news
  }

  /** One page of each log; true while there is more. */
  private async drain(): Promise<boolean> {
    const { store } = this.deps;
    const audit = await store.auditAfter(this.auditCursor, PAGE);
    for (const row of audit.rows) {
      const event = auditEvent(row);
      if (event !== undefined) this.board.apply(event);
    }
    this.auditCursor = audit.through;
    const refused = await store.refusedRequestsAfter(this.refusalCursor, PAGE);
    for (const row of refused) {
      this.board.apply(refusedRequestEvent(row));
      this.refusalCursor = row.id;
    }
    return audit.rows.length === PAGE || refused.length === PAGE;
  }
}
