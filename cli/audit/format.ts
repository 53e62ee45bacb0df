import { z } from 'zod';

/**
 * The audit export (decisions/0096): one folder an auditor can check offline, with
 * `wahlkoffer audit verify` or with openssl and a shell alone.
 *
 *   export.json                    what this is: format, election, when, how many of each (written last)
 *   election.json                  the election definition the server counted with
 *   envelopes.jsonl                one line per received envelope, accepted or refused, in arrival order
 *   reports/<NNN>/<id>.<precinct>.p7s    the station's CMS SignedData (DER), for `openssl cms -verify`
 *   reports/<NNN>/<id>.<precinct>.json   the exact signed tally bytes (RFC 8785 JSON)
 *   reports/<NNN>/<id>.envelope    a refused envelope that could not even be decrypted, as received
 *   audit-log.jsonl                the hash-chained audit log, one event per line
 *   refused-requests.jsonl         requests refused without a valid session (no body), in order
 *   log/leaves.jsonl               the transparency log's leaves (decisions/0090), by index
 *   log/checkpoints.jsonl          every signed checkpoint, in the order the server made them
 *   pki/root-ca.pem, pki/issuing-ca.pem, pki/crl.pem, pki/crls/crl-NNNNNN.pem (decisions/0105)
 *   pki/checkpoint.vkey, pki/<role>.pem   the server certificates whose signatures appear here
 *   publication/                   the published snapshot (results, kerg, EML, manifest.json/.p7s)
 *
 * `<NNN>` is the envelope id divided by 1,000, so no folder holds more than 2,000 files.
 */
export const EXPORT_FORMAT = 'wahlkoffer.audit-export/1' as const;

export const EXPORT_PATHS = {
  manifest: 'export.json',
  election: 'election.json',
  envelopes: 'envelopes.jsonl',
  auditLog: 'audit-log.jsonl',
  refusedRequests: 'refused-requests.jsonl',
  leaves: 'log/leaves.jsonl',
  checkpoints: 'log/checkpoints.jsonl',
  pki: 'pki',
  rootCa: 'pki/root-ca.pem',
  issuingCa: 'pki/issuing-ca.pem',
  crl: 'pki/crl.pem',
  crls: 'pki/crls',
  checkpointKey: 'pki/checkpoint.vkey',
  checkpointCertificate: 'pki/checkpoint-signing.pem',
  receiptCertificate: 'pki/receipt-signing.pem',
  publicationCertificate: 'pki/publication-signing.pem',
  publication: 'publication',
} as const;

/** The server certificates an export carries (their signatures are in it). */
export const SERVER_CERTIFICATE_ROLES = [
  'checkpoint-signing',
  'receipt-signing',
  'publication-signing',
] as const;

/** A file name part from an id: ids are [A-Za-z0-9._-] in the election schema, kept safe anyway. */
const safe = (id: string) => id.replace(/[^A-Za-z0-9._-]/g, '_');

export function reportFiles(envelopeId: number, precinctId: string | null) {
  const folder = `reports/${String(Math.floor(envelopeId / 1000)).padStart(3, '0')}`;
  const stem = `${folder}/${String(envelopeId).padStart(6, '0')}.${safe(precinctId ?? 'unbekannt')}`;
  return { folder, p7s: `${stem}.p7s`, tally: `${stem}.json`, raw: `${stem}.envelope` };
}

const Iso = z.iso.datetime();
const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const RelativePath = z
  .string()
  .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/)
  .refine((p) => !p.split('/').includes('..'), 'no ..');

/** What the server stored for an accepted report (Report, Receipt, CurrentReport). */
export const AcceptedSchema = z.strictObject({
  sequence: z.number().int().min(1),
  precinctId: z.string(),
  contestId: z.string(),
  revision: z.number().int().min(1),
  acceptedAt: Iso,
  signingTime: Iso,
  /** the station certificate that signed it; null for a result taken by phone */
  certSerial: z.string().nullable(),
  certFingerprint: Hex64.nullable(),
  envelopeHash: Hex64,
  contentHash: Hex64,
  correctionReason: z.string().nullable(),
  /** the server counts this revision (CurrentReport) */
  current: z.boolean(),
  /** kit: signed by the station; telefonisch: taken by phone, no station signature */
  source: z.enum(['kit', 'telefonisch']),
  /** the signed receipt (JWS compact) the kit got, when stored */
  receipt: z.string().nullable(),
  receiptCode: z.string().nullable(),
});
export type AcceptedEntry = z.infer<typeof AcceptedSchema>;

export const EnvelopeEntrySchema = z.strictObject({
  envelopeId: z.number().int().min(1),
  receivedAt: Iso,
  requestId: z.string(),
  verdict: z.enum(['ACCEPTED', 'REPEATED', 'REJECTED']),
  code: z.string().nullable(),
  detail: z.string().nullable(),
  precinctId: z.string().nullable(),
  contestId: z.string().nullable(),
  revision: z.number().int().nullable(),
  envelopeSha256: Hex64,
  /** the inner SignedData and its signed content, when the envelope could be opened that far */
  p7s: RelativePath.nullable(),
  tally: RelativePath.nullable(),
  /** the envelope as received, when it could not be decrypted */
  raw: RelativePath.nullable(),
  /** why the SignedData could not be taken out (a PkiError code) */
  openError: z.string().nullable(),
  accepted: AcceptedSchema.nullable(),
});
export type EnvelopeEntry = z.infer<typeof EnvelopeEntrySchema>;

export const AuditLineSchema = z.strictObject({
  id: z.number().int().min(1),
  at: Iso,
  kind: z.string(),
  precinctId: z.string().nullable(),
  requestId: z.string().nullable(),
  event: z.string(),
  prevHash: Hex64,
  hash: Hex64,
});
export type AuditLine = z.infer<typeof AuditLineSchema>;

/**
 * A request the server refused before it had a valid session (a forged, expired or revoked
 * token, a failed session proof): the bounded record of decisions/0060 — never its body, which
 * the server did not read. Not signed and not in the audit log: the server's own account.
 */
export const RefusedRequestLineSchema = z.strictObject({
  id: z.number().int().min(1),
  at: Iso,
  /** the route refused (e.g. submitReport) */
  route: z.string(),
  code: z.string(),
  /** Content-Length as the client declared it */
  size: z.number().int().min(0).nullable(),
  /** SHA-256 (hex) of the credential presented, to group attempts */
  hash: Hex64.nullable(),
  /** the peer address of the connection */
  source: z.string(),
});
export type RefusedRequestLine = z.infer<typeof RefusedRequestLineSchema>;

export const LeafLineSchema = z.strictObject({
  index: z.number().int().min(0),
  sequence: z.number().int().min(1),
  leaf: z.string(),
});
export type LeafLine = z.infer<typeof LeafLineSchema>;

export const CheckpointLineSchema = z.strictObject({
  size: z.number().int().min(0),
  createdAt: Iso,
  note: z.string(),
});
export type CheckpointLine = z.infer<typeof CheckpointLineSchema>;

export const ExportManifestSchema = z.strictObject({
  format: z.literal(EXPORT_FORMAT),
  electionId: z.string(),
  exportedAt: Iso,
  tool: z.string(),
  database: z.enum(['sqlite', 'postgresql']),
  counts: z.strictObject({
    envelopes: z.number().int().min(0),
    accepted: z.number().int().min(0),
    refused: z.number().int().min(0),
    repeated: z.number().int().min(0),
    auditEvents: z.number().int().min(0),
    crls: z.number().int().min(0),
    leaves: z.number().int().min(0).nullable(),
    checkpoints: z.number().int().min(0).nullable(),
    /** lines of refused-requests.jsonl; null: the database has no record of them; absent in exports made before they were exported */
    refusedRequests: z.number().int().min(0).nullable().optional(),
  }),
  /** the published snapshot was found and copied */
  publication: z.boolean(),
});
export type ExportManifest = z.infer<typeof ExportManifestSchema>;
