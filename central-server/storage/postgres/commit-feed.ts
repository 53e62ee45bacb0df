import pg from 'pg';
import { COMMIT_CHANNEL } from './write-lock.ts';

export type CommitFeedOptions = {
  readonly url: string;
  /** this server's id: its own notifications are ignored */
  readonly instance: string;
  /** called when another server committed (or may have: after a reconnect, and every `pollMs`) */
  readonly onCommit: () => void;
  readonly onError: (error: unknown) => void;
  /** a catch-up also runs this often, should a notification be lost (default 5 s) */
  readonly pollMs?: number;
};

/**
 * Tells a server when another one committed: `LISTEN` on a connection of its own (PostgreSQL
 * delivers a NOTIFY only after the notifying transaction committed). The connection is
 * re-opened after any failure; since notifications may have been missed meanwhile, every
 * (re)connect and a slow poll also count as "something may have changed" (decisions/0111).
 */
export class CommitFeed {
  private client: pg.Client | undefined;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;
  private readonly poll: NodeJS.Timeout;

  private constructor(private readonly options: CommitFeedOptions) {
    this.poll = setInterval(() => options.onCommit(), options.pollMs ?? 5_000);
    this.poll.unref();
  }

  static async start(options: CommitFeedOptions): Promise<CommitFeed> {
    const feed = new CommitFeed(options);
    await feed.connect();
    return feed;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.url,
      application_name: 'wahlkoffer-listen',
      keepAlive: true,
    });
    client.on('notification', (message) => {
      if (message.payload !== this.options.instance) this.options.onCommit();
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('LISTEN connection ended')));
    await client.connect();
    await client.query(`LISTEN ${COMMIT_CHANNEL}`);
    this.client = client;
    this.options.onCommit();
  }

  private lost(client: pg.Client, error: unknown): void {
    if (this.closed || this.client !== client) return;
    this.client = undefined;
    this.options.onError(error);
    void client.end().catch(() => undefined);
    this.reconnect();
  }

  private reconnect(): void {
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (this.closed) return;
      this.connect().catch((error: unknown) => {
        this.options.onError(error);
        this.reconnect();
      });
    }, 1_000);
    this.retry.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.poll);
    clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
  }
}
