import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ElectionDefinitionSchema, type ElectionDefinition } from '../election/index.ts';
import { PkiError, orFail } from './error.ts';
import { readSecretText } from './secret-file.ts';

/**
 * The PKI directory (docs/crypto.md §Layout):
 *
 *   election.json            the election definition the PKI was made for
 *   pki.json                 metadata: election id, server URL, validity, CRL number, KDF cost
 *   root-ca.pem              root CA certificate — for auditors
 *   issuing-ca.pem           issuing CA certificate
 *   crl.pem                  X509 CRLs of the issuing CA and the root — for auditors
 *   checkpoint.vkey          the log's checkpoint verifier key (C2SP note key) — for auditors
 *   crls/crl-<NNNNNN>.pem    every crl.pem ever published, named by the issuing CA's CRL number
 *   stations.json            register: every station certificate ever issued, with status
 *   stations.journal         stations issued by a `pki issue` still running or interrupted
 *   issued/<serial>.pem      every issued station certificate
 *   private/root-ca.key.json, private/issuing-ca.key.json   CA keys, encrypted (CA passphrase)
 *   server/<role>.pem, server/<role>.key.pem                 server certificates and keys (0600)
 *   server/secret-store.key                                   key of the TOTP secret store (0600)
 *   server/station-secrets/<precinctId>.json                  encrypted TOTP secrets
 */
export const PKI_FORMAT = 'wahlkoffer.pki/1' as const;
export const REGISTER_FORMAT = 'wahlkoffer.stations/1' as const;

export const paths = (dir: string) => ({
  election: join(dir, 'election.json'),
  meta: join(dir, 'pki.json'),
  root: join(dir, 'root-ca.pem'),
  issuing: join(dir, 'issuing-ca.pem'),
  crl: join(dir, 'crl.pem'),
  checkpointKey: join(dir, 'checkpoint.vkey'),
  register: join(dir, 'stations.json'),
  journal: join(dir, 'stations.journal'),
  crlHistory: (crlNumber: number) =>
    join(dir, 'crls', `crl-${String(crlNumber).padStart(6, '0')}.pem`),
  issued: (serial: string) => join(dir, 'issued', `${serial}.pem`),
  rootKey: join(dir, 'private', 'root-ca.key.json'),
  issuingKey: join(dir, 'private', 'issuing-ca.key.json'),
  serverCert: (role: string) => join(dir, 'server', `${role}.pem`),
  serverKey: (role: string) => join(dir, 'server', `${role}.key.pem`),
  secretStoreKey: join(dir, 'server', 'secret-store.key'),
  stationSecret: (precinctId: string) =>
    join(dir, 'server', 'station-secrets', `${precinctId}.json`),
});

const ScryptCostSchema = z.strictObject({
  N: z.number().int(),
  r: z.number().int(),
  p: z.number().int(),
});

export const PkiMetaSchema = z.strictObject({
  format: z.literal(PKI_FORMAT),
  electionId: z.string(),
  serverUrl: z.url(),
  createdAt: z.iso.datetime(),
  /** end of the station certificates' validity (and of the CRL's nextUpdate) */
  stationNotAfter: z.iso.datetime(),
  serverNotAfter: z.iso.datetime(),
  crlNumber: z.number().int().min(1),
  /** scrypt cost for station keys issued from this PKI */
  stationKeyCost: ScryptCostSchema,
});
export type PkiMeta = z.infer<typeof PkiMetaSchema>;

export const StationRecordSchema = z.strictObject({
  precinctId: z.string(),
  serial: z.string(),
  fingerprint: z.string(),
  issuedAt: z.iso.datetime(),
  notAfter: z.iso.datetime(),
  status: z.enum(['ISSUED', 'REVOKED']),
  revokedAt: z.iso.datetime().optional(),
  reason: z.string().optional(),
});
export type StationRecord = z.infer<typeof StationRecordSchema>;

export const RegisterSchema = z.strictObject({
  format: z.literal(REGISTER_FORMAT),
  certificates: z.array(StationRecordSchema),
});
export type Register = z.infer<typeof RegisterSchema>;

export async function readJson<T>(file: string, schema: z.ZodType<T>): Promise<T> {
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new PkiError('STORE_MALFORMED', `cannot read ${file}`, { cause: error });
  });
  return orFail('STORE_MALFORMED', () => schema.parse(JSON.parse(text)), `malformed ${file}`);
}

export async function readText(file: string): Promise<string> {
  return readFile(file, 'utf8').catch((error: unknown) => {
    throw new PkiError('STORE_MALFORMED', `cannot read ${file}`, { cause: error });
  });
}

/** A secret of the PKI directory (key, store key): owner-only, or SECRET_FILE_EXPOSED. */
export async function readSecret(file: string): Promise<string> {
  return readSecretText(file).catch((error: unknown) => {
    if (error instanceof PkiError) throw error;
    throw new PkiError('STORE_MALFORMED', `cannot read ${file}`, { cause: error });
  });
}

export async function readSecretJson<T>(file: string, schema: z.ZodType<T>): Promise<T> {
  const text = await readSecret(file);
  return orFail('STORE_MALFORMED', () => schema.parse(JSON.parse(text)), `malformed ${file}`);
}

/** Writes atomically (temp file + rename), so a crash never leaves half a register or CRL. */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  mode = 0o644,
): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, data, { mode });
  await rename(tmp, file);
}

export const writeSecret = (file: string, data: string | Uint8Array) =>
  writeFileAtomic(file, data, 0o600);

export async function readElection(file: string): Promise<ElectionDefinition> {
  return readJson(file, ElectionDefinitionSchema);
}

/** Current certificate per precinct: the last one issued. */
export function currentStations(register: Register): Map<string, StationRecord> {
  const map = new Map<string, StationRecord>();
  for (const record of register.certificates) map.set(record.precinctId, record);
  return map;
}
