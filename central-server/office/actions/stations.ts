import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { ElectionIndex } from '../../../election/index.ts';
import {
  PkiError,
  currentStations,
  issueStations,
  openCa,
  pkiPaths,
  readRegister,
  revokeStation,
  type CaContext,
  type RevocationReason,
} from '../../../pki/index.ts';
import { withAudit, type AuditDeps } from './audit.ts';
import { OfficeActionError } from './errors.ts';
import type { OfficeActionStore } from './store.ts';

/** One station as the office sees it: its certificate and its last contact. */
export type StationOverview = {
  readonly precinctId: string;
  readonly name: string;
  readonly serial: string | null;
  readonly status: 'ISSUED' | 'REVOKED' | 'NOT_ISSUED';
  readonly issuedAt: string | null;
  readonly revokedAt: string | null;
  readonly failedAttempts: number;
  readonly sessionOpenedAt: Date | null;
  readonly lastReportAt: Date | null;
  /** the later of the two */
  readonly lastContact: Date | null;
};

/** Where a replacement kit's files were written (the letter is owner-only). */
export type Replacement = {
  readonly precinctId: string;
  readonly serial: string;
  readonly superseded: readonly string[];
  readonly bundle: string;
  readonly letter: string;
};

export type StationActionDeps = AuditDeps & {
  readonly index: ElectionIndex;
  readonly pkiDir: string;
  /** where replacement bundles and letters go: `<dir>/bundles/<precinct>/bundle.json`, `<dir>/letters/` */
  readonly replacementsDir: string;
  readonly store: OfficeActionStore;
  /** RunningServer.reloadPki: the new crl.pem and register count at once, not within 2 s */
  readonly reloadPki: () => Promise<unknown>;
  readonly clock: () => Date;
};

const later = (a: Date | null, b: Date | null) =>
  a === null ? b : b === null ? a : a.getTime() >= b.getTime() ? a : b;

/**
 * The stations page's actions: each station's last contact; revoke a kit (a new CRL, taken in
 * by the running server at once: its next report and its open session are refused, decisions/0061);
 * replace a kit (a new certificate, bundle and letter with `pki issue --reissue` semantics,
 * decisions/0102; the server follows the register, so the new kit opens its session at once).
 *
 * Revoking and issuing need the issuing CA's key. It stays encrypted on disk; the admin types
 * the CA passphrase for each action, the key is decrypted for that action only and never stored
 * or logged (decisions/0089, docs/threat-model.md T29). Without the key file on this machine the
 * office uses the CLI on the PKI machine, and the server follows the copied files by itself.
 */
export class StationActions {
  /** PKI writes (register, CRL) one at a time */
  private pkiTail: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: StationActionDeps) {}

  async overview(): Promise<readonly StationOverview[]> {
    const { deps } = this;
    const register = currentStations(await readRegister(deps.pkiDir));
    const contacts = new Map(
      (await deps.store.stationContacts()).map((c) => [c.precinctId, c] as const),
    );
    return deps.index.definition.precincts.map((p) => {
      const record = register.get(p.id);
      const contact = contacts.get(p.id);
      const sessionOpenedAt = contact?.sessionOpenedAt ?? null;
      const lastReportAt = contact?.lastReportAt ?? null;
      return {
        precinctId: p.id,
        name: p.name,
        serial: record?.serial ?? null,
        status: record?.status ?? 'NOT_ISSUED',
        issuedAt: record?.issuedAt ?? null,
        revokedAt: record?.revokedAt ?? null,
        failedAttempts: contact?.failedAttempts ?? 0,
        sessionOpenedAt,
        lastReportAt,
        lastContact: later(sessionOpenedAt, lastReportAt),
      };
    });
  }

  /** Whether this machine holds the issuing CA's (encrypted) key at all. */
  async canIssue(): Promise<boolean> {
    return access(pkiPaths(this.deps.pkiDir).issuingKey).then(
      () => true,
      () => false,
    );
  }

  async revoke(input: {
    readonly precinctId: string;
    readonly reason: RevocationReason;
    readonly caPassphrase: string;
    readonly user: string;
    readonly requestId: string;
  }): Promise<{ serial: string }> {
    const { deps } = this;
    this.precinct(input.precinctId);
    return this.withCa(input.caPassphrase, async (ca) => {
      const now = deps.clock();
      const record = await pkiCall(() =>
        revokeStation(ca, { precinctId: input.precinctId }, input.reason, now),
      );
      await deps.reloadPki();
      await withAudit(
        deps,
        () => ({
          at: now,
          precinctId: input.precinctId,
          requestId: input.requestId,
          kind: 'KIT_REVOKED',
          data: { serial: record.serial, reason: input.reason, by: input.user },
        }),
        (row) => deps.store.appendAudit(row!),
      );
      return { serial: record.serial };
    });
  }

  async replace(input: {
    readonly precinctId: string;
    readonly caPassphrase: string;
    readonly user: string;
    readonly requestId: string;
  }): Promise<Replacement> {
    const { deps } = this;
    this.precinct(input.precinctId);
    return this.withCa(input.caPassphrase, async (ca) => {
      const now = deps.clock();
      const outDir = join(deps.replacementsDir, 'bundles');
      const lettersDir = join(deps.replacementsDir, 'letters');
      const result = await pkiCall(() =>
        issueStations(ca, [input.precinctId], { outDir, lettersDir, now, reissue: true }),
      );
      const issued = result.issued[0];
      if (issued === undefined) throw new OfficeActionError('PKI_REFUSED');
      await deps.reloadPki();
      const superseded = result.superseded.map((r) => r.serial);
      await withAudit(
        deps,
        () => ({
          at: now,
          precinctId: input.precinctId,
          requestId: input.requestId,
          kind: 'KIT_REPLACED',
          data: { serial: issued.serial, superseded, by: input.user },
        }),
        (row) => deps.store.appendAudit(row!),
      );
      return {
        precinctId: input.precinctId,
        serial: issued.serial,
        superseded,
        bundle: join(outDir, input.precinctId, 'bundle.json'),
        letter: join(lettersDir, `${input.precinctId}.html`),
      };
    });
  }

  private precinct(precinctId: string): void {
    if (this.deps.index.precinct(precinctId) === undefined) {
      throw new OfficeActionError('PRECINCT_UNKNOWN');
    }
  }

  /** Decrypts the issuing CA key for one action, one action at a time. */
  private withCa<T>(passphrase: string, fn: (ca: CaContext) => Promise<T>): Promise<T> {
    const run = async () => {
      if (!(await this.canIssue())) throw new OfficeActionError('ISSUING_KEY_ABSENT');
      const ca = await openCa(this.deps.pkiDir, passphrase).catch((error: unknown) => {
        if (error instanceof PkiError && error.code === 'KEY_DECRYPTION_FAILED') {
          throw new OfficeActionError('CA_PASSPHRASE_WRONG', {}, { cause: error });
        }
        throw error;
      });
      return fn(ca);
    };
    const result = this.pkiTail.then(run, run);
    this.pkiTail = result.catch(() => undefined);
    return result;
  }
}

/** A PKI refusal (e.g. an unknown precinct) as the office's refusal, with the PKI's code. */
async function pkiCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof PkiError) {
      throw new OfficeActionError('PKI_REFUSED', { code: error.code }, { cause: error });
    }
    throw error;
  }
}
