import { stat } from 'node:fs/promises';
import { PkiError, checkCrlSuccession, type Crl } from '../../pki/index.ts';
import type { Logger } from '../logger.ts';

/** How often crl.pem is checked for a change (a revocation takes effect within this time). */
export const CRL_CHECK_MS = 2_000;

/** What /healthz shows about the CRL in force. */
export type CrlStatus = {
  readonly lists: readonly {
    readonly number: number;
    readonly thisUpdate: string;
    readonly nextUpdate: string | null;
  }[];
  /** the last time crl.pem was read and accepted */
  readonly loadedAt: string;
  /** the last failed reload (the previous CRL stays in force), until one succeeds */
  readonly lastError: {
    readonly code: string;
    readonly message: string;
    readonly at: string;
  } | null;
};

/**
 * Follows crl.pem while the server runs: at most every CRL_CHECK_MS (at the time of the request
 * being checked) it looks at the file's modification time and re-reads a changed file. A new CRL
 * must verify against the CAs and must not go back (its cRLNumber increases, checkCrlSuccession);
 * otherwise the one in force stays, the failure is logged once per file version and shown in
 * /healthz. Whether the CRL in force is past its nextUpdate is checked at every use (pki).
 */
export class CrlFollower {
  private lastCheck: number;
  private lastError: CrlStatus['lastError'] = null;
  private failedMtime: number | undefined;

  constructor(
    private readonly deps: {
      readonly file: string;
      readonly read: (now: Date) => Promise<Crl>;
      readonly logger?: Logger;
    },
    private crl: Crl,
    private mtime: number,
    private loadedAt: Date,
  ) {
    this.lastCheck = loadedAt.getTime();
  }

  /** The CRL in force at `now` (re-read first when the file changed and a check is due). */
  async current(now: Date): Promise<Crl> {
    if (Math.abs(now.getTime() - this.lastCheck) > CRL_CHECK_MS) {
      this.lastCheck = now.getTime();
      await this.reload(now);
    }
    return this.crl;
  }

  /** Re-reads crl.pem if it changed since the last successful (or failed) read; never throws. */
  async reload(now: Date): Promise<CrlStatus> {
    let mtime: number | undefined;
    try {
      mtime = (await stat(this.deps.file)).mtimeMs;
      if (mtime === this.mtime || mtime === this.failedMtime) return this.status();
      const next = await this.deps.read(now);
      checkCrlSuccession(this.crl, next);
      this.crl = next;
      this.mtime = mtime;
      this.loadedAt = now;
      this.lastError = null;
      this.failedMtime = undefined;
      this.deps.logger?.info({ crl: this.status().lists }, 'CRL reloaded');
    } catch (error) {
      this.failedMtime = mtime;
      const code = error instanceof PkiError ? error.code : 'STORE_MALFORMED';
      const message = error instanceof Error ? error.message : String(error);
      this.lastError = { code, message, at: now.toISOString() };
      this.deps.logger?.error(
        { err: error, file: this.deps.file },
        'CRL reload failed; the previous CRL stays in force',
      );
    }
    return this.status();
  }

  status(): CrlStatus {
    return {
      lists: this.crl.lists.map((l) => ({
        number: l.number,
        thisUpdate: l.thisUpdate.toISOString(),
        nextUpdate: l.nextUpdate?.toISOString() ?? null,
      })),
      loadedAt: this.loadedAt.toISOString(),
      lastError: this.lastError,
    };
  }
}
