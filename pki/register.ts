import { open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { PkiError, orFail } from './error.ts';
import {
  REGISTER_FORMAT,
  RegisterSchema,
  StationRecordSchema,
  currentStations,
  paths,
  readJson,
  writeFileAtomic,
  type Register,
  type StationRecord,
} from './store-layout.ts';

/**
 * The station register is `stations.json` plus `stations.journal`: while `pki issue` runs, each
 * station is appended to the journal (one JSON line, fsync'd) as soon as its bundle and letter
 * are written, and folded into stations.json at the end. A ceremony interrupted after 700 of
 * 1,274 stations therefore knows those 700, and `pki issue --all` resumes with the rest.
 * Records are keyed by serial; a later line wins, so a crash between folding and removing the
 * journal changes nothing.
 */

/** The register with the journal of an unfinished run folded in. */
export async function readRegister(dir: string): Promise<Register> {
  const p = paths(dir);
  const stored = await readJson(p.register, RegisterSchema);
  const journal = await readFile(p.journal, 'utf8').catch((error: unknown) => {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return '';
    throw new PkiError('STORE_MALFORMED', `cannot read ${p.journal}`, { cause: error });
  });
  if (journal === '') return stored;
  // Every acknowledged line ends with "\n"; what follows the last one (a line torn by a crash
  // mid-write) was never acknowledged and is dropped.
  const complete = journal.split('\n').slice(0, -1);
  const bySerial = new Map(stored.certificates.map((r) => [r.serial, r]));
  for (const line of complete) {
    const record = orFail(
      'STORE_MALFORMED',
      () => StationRecordSchema.parse(JSON.parse(line)),
      `malformed line in ${p.journal}`,
    );
    bySerial.delete(record.serial);
    bySerial.set(record.serial, record);
  }
  return { format: REGISTER_FORMAT, certificates: [...bySerial.values()] };
}

/** Writes stations.json (atomically) and then drops the journal it now contains. */
export async function saveRegister(dir: string, register: Register): Promise<void> {
  const p = paths(dir);
  await writeFileAtomic(p.register, `${JSON.stringify(register, null, 1)}\n`);
  await rm(p.journal, { force: true });
}

/** Appends station records, one durable line each, in the order they are given. */
export class RegisterJournal {
  private tail: Promise<void> = Promise.resolve();

  private constructor(private readonly handle: FileHandle) {}

  static async open(dir: string): Promise<RegisterJournal> {
    return new RegisterJournal(await open(paths(dir).journal, 'a', 0o644));
  }

  append(record: StationRecord): Promise<void> {
    const write = async () => {
      await this.handle.appendFile(`${JSON.stringify(record)}\n`);
      await this.handle.datasync();
    };
    const done = this.tail.then(write);
    this.tail = done.catch(() => undefined);
    return done;
  }

  async close(): Promise<void> {
    await this.tail;
    await this.handle.close();
  }
}

/** A certificate a precinct holds that is neither revoked nor expired. */
export function isValidAt(record: StationRecord, now: Date): boolean {
  return record.status === 'ISSUED' && Date.parse(record.notAfter) > now.getTime();
}

/**
 * Every certificate still marked ISSUED that is no longer its precinct's current one becomes
 * REVOKED (superseded): a precinct has exactly one usable certificate, the last one issued.
 */
export function supersedeStale(
  register: Register,
  now: Date,
): { register: Register; superseded: StationRecord[] } {
  const current = currentStations(register);
  const superseded: StationRecord[] = [];
  const certificates = register.certificates.map((r) => {
    if (r.status !== 'ISSUED' || current.get(r.precinctId) === r) return r;
    const revoked = {
      ...r,
      status: 'REVOKED' as const,
      revokedAt: now.toISOString(),
      reason: 'superseded',
    };
    superseded.push(revoked);
    return revoked;
  });
  return { register: { ...register, certificates }, superseded };
}
