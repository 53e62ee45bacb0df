import type { Logger } from '../logger.ts';
import type { WriteLock } from '../write-lock.ts';
import type { IntakeState } from './intake-state.ts';

/**
 * Runs `IntakeState.catchUp` when another server on the same database committed (the commit
 * feed calls `soon`), so this server's totals and publication follow every server's reports
 * within moments, also while it writes nothing itself. Calls coalesce: one catch-up at a time,
 * and one more after it if news arrived meanwhile. It runs under the in-process write lock only
 * (reading committed rows needs no database-wide lock; a write catches up again holding it).
 */
export class CatchUp {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly lock: WriteLock,
    private readonly state: Pick<IntakeState, 'catchUp'>,
    private readonly logger: Logger,
  ) {}

  readonly soon = (): void => {
    if (this.stopped) return;
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => (this.running = undefined));
  };

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.lock.runLocal(() => this.state.catchUp());
      } catch (error) {
        this.logger.error({ err: error }, 'catching up with the other servers failed');
      }
    } while (this.again && !this.stopped);
  }

  /** No further catch-ups; resolves when the running one has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }
}
