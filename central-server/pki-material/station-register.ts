import { readFile, stat } from 'node:fs/promises';
import type { StationRecord } from '../../pki/index.ts';
import type { StationImport } from '../storage/repository.ts';
import { DigestColumn } from '../intake/digest-column.ts';

type RegisterFiles = {
  readonly register: string;
  readonly stationSecret: (precinctId: string) => string;
};

/**
 * Follows the PKI directory's station register (stations.json and the encrypted TOTP secrets)
 * while the server runs, so a kit issued or re-issued during the night can open its session at
 * once. `reload` re-reads the register only when the file changed, and a secret only for a
 * precinct whose certificate changed, so following 90,652 stations costs one stat per check.
 */
export class StationRegister {
  /**
   * precinct → its slot in `fingerprints`: the certificate fingerprint last imported (the
   * secrets live in the database), as 32 bytes (a hex string each was 7 MB of the main thread's
   * heap with a national register, decision 0067, heap12)
   */
  private readonly byPrecinct = new Map<string, number>();
  private readonly fingerprints = new DigestColumn();
  private mtime = -1;

  constructor(
    private readonly files: RegisterFiles,
    private readonly electionId: string,
    private readonly readRegister: () => Promise<ReadonlyMap<string, StationRecord>>,
  ) {}

  /**
   * Re-reads a changed register; returns the stations that are new or changed since (at the
   * first call: every station with a TOTP secret).
   */
  async reload(): Promise<readonly StationImport[]> {
    const mtime = (await stat(this.files.register)).mtimeMs;
    if (mtime === this.mtime) return [];
    const records = await this.readRegister();
    const stale = [...records.values()].filter(
      (record) => this.fingerprintOf(record.precinctId) !== record.fingerprint,
    );
    const changed: StationImport[] = [];
    // the secrets read SECRETS_AT_ONCE at a time: one after the other, a national register's
    // 90,652 files took 40 s of the server's start
    for (let start = 0; start < stale.length; start += SECRETS_AT_ONCE) {
      const slice = stale.slice(start, start + SECRETS_AT_ONCE);
      const secrets = await Promise.all(slice.map((record) => this.secretOf(record.precinctId)));
      slice.forEach((record, i) => {
        const secret = secrets[i];
        if (secret === undefined) return;
        let slot = this.byPrecinct.get(record.precinctId);
        if (slot === undefined) {
          slot = this.byPrecinct.size;
          this.byPrecinct.set(record.precinctId, slot);
        }
        this.fingerprints.set(slot, record.fingerprint);
        changed.push({
          precinctId: record.precinctId,
          electionId: this.electionId,
          certSerial: record.serial,
          certFingerprint: record.fingerprint,
          totpSecretEnc: secret.trim(),
        });
      });
    }
    this.mtime = mtime;
    return changed;
  }

  private fingerprintOf(precinctId: string): string | undefined {
    const slot = this.byPrecinct.get(precinctId);
    return slot === undefined ? undefined : this.fingerprints.get(slot);
  }

  /** The station's encrypted TOTP secret; undefined for a station issued without one. */
  private secretOf(precinctId: string): Promise<string | undefined> {
    return readFile(this.files.stationSecret(precinctId), 'utf8').catch((error: unknown) => {
      // a station issued without a TOTP secret (none is written for it) cannot open sessions
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    });
  }
}

const SECRETS_AT_ONCE = 64;
