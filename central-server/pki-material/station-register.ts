import { readFile, stat } from 'node:fs/promises';
import type { StationRecord } from '../../pki/index.ts';
import type { StationImport } from '../storage/repository.ts';

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
  /** precinct → the certificate fingerprint last imported (the secrets live in the database) */
  private readonly byPrecinct = new Map<string, string>();
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
    const changed: StationImport[] = [];
    for (const record of records.values()) {
      const known = this.byPrecinct.get(record.precinctId);
      if (known === record.fingerprint) continue;
      const secret = await readFile(this.files.stationSecret(record.precinctId), 'utf8').catch(
        (error: unknown) => {
          // a station issued without a TOTP secret (none is written for it) cannot open sessions
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
          throw error;
        },
      );
      if (secret === undefined) continue;
      const station: StationImport = {
        precinctId: record.precinctId,
        electionId: this.electionId,
        certSerial: record.serial,
        certFingerprint: record.fingerprint,
        totpSecretEnc: secret.trim(),
      };
      this.byPrecinct.set(record.precinctId, record.fingerprint);
      changed.push(station);
    }
    this.mtime = mtime;
    return changed;
  }
}
