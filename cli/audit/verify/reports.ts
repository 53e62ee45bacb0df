import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SchnellmeldungSchema, type Schnellmeldung } from '../../../election/index.ts';
import {
  PkiError,
  parseSignedData,
  verifySignedData,
  type PkiErrorCode,
} from '../../../pki/index.ts';
import type { AcceptedEntry, EnvelopeEntry } from '../format.ts';
import type { Finding, FindingCode } from '../findings.ts';
import { crlAt, type HistoricCrl, type KitContext } from './load.ts';

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** An envelope line of an accepted report. */
export type AcceptedEnvelope = EnvelopeEntry & { accepted: NonNullable<EnvelopeEntry['accepted']> };

/**
 * What the check of one kit report reads of its envelope line — no more, because it is copied to
 * a worker thread (the stored receipt alone, with its certificate chain, is ~4 KB a line).
 */
export type KitJob = Pick<EnvelopeEntry, 'envelopeId' | 'p7s' | 'tally'> & {
  readonly accepted: Pick<
    AcceptedEntry,
    | 'sequence'
    | 'precinctId'
    | 'contestId'
    | 'revision'
    | 'acceptedAt'
    | 'signingTime'
    | 'certSerial'
    | 'contentHash'
  >;
};

/** The KitJob of an accepted envelope line. */
export function kitJob(entry: AcceptedEnvelope): KitJob {
  const a = entry.accepted;
  return {
    envelopeId: entry.envelopeId,
    p7s: entry.p7s,
    tally: entry.tally,
    accepted: {
      sequence: a.sequence,
      precinctId: a.precinctId,
      contestId: a.contestId,
      revision: a.revision,
      acceptedAt: a.acceptedAt,
      signingTime: a.signingTime,
      certSerial: a.certSerial,
      contentHash: a.contentHash,
    },
  };
}

/** An accepted kit report after its checks: its signed tally (for the recount) and its hashes. */
export type CheckedReport = {
  /** the signed tally, when the signature holds (only verified figures are recounted) */
  readonly tally: Schnellmeldung | undefined;
  /** SHA-256 of the SignedData file, for the log leaf */
  readonly signedDataHash: string | undefined;
};

/** Which finding a refusal of the SignedData pipeline (pki/verify-cms.ts) is. */
function findingFor(code: PkiErrorCode): FindingCode {
  switch (code) {
    case 'CERT_REVOKED':
      return 'REPORT_REVOKED';
    case 'SIGNATURE_INVALID':
    case 'DIGEST_MISMATCH':
    case 'SIGNED_DATA_MALFORMED':
      return 'REPORT_SIGNATURE_INVALID';
    case 'CERT_WRONG_PRECINCT':
      return 'REPORT_WRONG_PRECINCT';
    default:
      return 'REPORT_CERTIFICATE_INVALID';
  }
}

/**
 * The openssl command that makes the same check of one report by hand, run in the export
 * folder: at its signing time, against the CRL in force then (docs/guides/auditor.md).
 */
export function opensslCommand(p7s: string, tally: string, crl: HistoricCrl, signingTime: Date) {
  const t = Math.floor(signingTime.getTime() / 1000);
  return (
    `cat pki/root-ca.pem ${crl.file} > trust-then.pem && ` +
    `openssl cms -verify -inform DER -in ${p7s} -content ${tally} -binary ` +
    `-CAfile trust-then.pem -crl_check_all -attime ${t} -out /dev/null`
  );
}

/**
 * A report's file, read synchronously: a few kilobytes, where a round trip through libuv's
 * thread pool costs more than the read itself (decisions/0099); the checks run in worker threads.
 */
function readExportFile(dir: string, file: string | null): Buffer | undefined {
  if (file === null) return undefined;
  try {
    return readFileSync(path.join(dir, file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Every check of one accepted kit report, in order: both files there → signature, chain and
 * revocation at the signing time against the CRL in force then → the tally file is the signed
 * content → the signer's precinct is the tally's → what the server stored matches → the
 * certificate was not revoked before the server accepted the report (the signing time is the
 * kit's clock; a thief could set it back, decisions/0105).
 */
export function checkKitReport(ctx: KitContext, entry: KitJob, findings: Finding[]): CheckedReport {
  const a = entry.accepted;
  const where = {
    precinctId: a.precinctId,
    contestId: a.contestId,
    revision: a.revision,
    sequence: a.sequence,
    envelopeId: entry.envelopeId,
  };
  const der = readExportFile(ctx.dir, entry.p7s);
  const tallyBytes = readExportFile(ctx.dir, entry.tally);
  if (der === undefined || tallyBytes === undefined) {
    findings.push({
      ...where,
      code: 'REPORT_FILE_MISSING',
      file: (der === undefined ? entry.p7s : entry.tally) ?? `envelope ${entry.envelopeId}`,
      detail: der === undefined ? 'SignedData (.p7s) missing' : 'tally (.json) missing',
    });
    return { tally: undefined, signedDataHash: der === undefined ? undefined : sha256Hex(der) };
  }
  const signedDataHash = sha256Hex(der);
  const file = entry.p7s ?? undefined;
  let signingTime: Date;
  let crl: HistoricCrl;
  let verified: ReturnType<typeof verifySignedData>;
  try {
    ({ signingTime, crl, verified } = verifyAtSigningTime(ctx, der, new Date(a.signingTime)));
  } catch (error) {
    if (!(error instanceof PkiError)) throw error;
    findings.push({
      ...where,
      code: findingFor(error.code),
      ...(file === undefined ? {} : { file }),
      detail: `${error.code}${error.message === error.code ? '' : `: ${error.message}`}`,
      ...(entry.p7s !== null && entry.tally !== null
        ? {
            openssl: opensslCommand(
              entry.p7s,
              entry.tally,
              crlAt(ctx.crls, new Date(a.signingTime)),
              new Date(a.signingTime),
            ),
          }
        : {}),
    });
    return { tally: undefined, signedDataHash };
  }
  const openssl = opensslCommand(entry.p7s!, entry.tally!, crl, signingTime);
  const content = verified.parsed.content;
  if (!content.equals(tallyBytes)) {
    findings.push({
      ...where,
      code: 'REPORT_TALLY_ALTERED',
      file: entry.tally!,
      detail: `${entry.tally} differs from the content signed in ${entry.p7s}`,
      openssl,
    });
  }
  const parsed = SchnellmeldungSchema.safeParse(safeJson(content));
  if (!parsed.success) {
    findings.push({
      ...where,
      code: 'REPORT_SIGNATURE_INVALID',
      ...(file === undefined ? {} : { file }),
      detail: 'the signed content is not a Schnellmeldung',
      openssl,
    });
    return { tally: undefined, signedDataHash };
  }
  const tally = parsed.data;
  if (verified.identity.precinctId !== tally.precinctId) {
    findings.push({
      ...where,
      code: 'REPORT_WRONG_PRECINCT',
      detail: `signed by the certificate of ${verified.identity.precinctId} for ${tally.precinctId}`,
      openssl,
    });
    return { tally: undefined, signedDataHash };
  }
  const stored = [
    ['precinctId', a.precinctId, tally.precinctId],
    ['contestId', a.contestId, tally.contestId],
    ['revision', a.revision, tally.revision],
    ['contentHash', a.contentHash, sha256Hex(content)],
    ['signingTime', a.signingTime, signingTime.toISOString()],
    ['certSerial', a.certSerial, verified.leaf.serial],
  ] as const;
  const differing = stored.filter(([, s, signed]) => s !== signed);
  if (differing.length > 0) {
    findings.push({
      ...where,
      code: 'REPORT_METADATA_MISMATCH',
      detail: differing.map(([k, s, signed]) => `${k}: stored ${s}, signed ${signed}`).join('; '),
      openssl,
    });
  }
  const revokedBeforeAcceptance = revokedAt(ctx, verified.leaf.serial);
  if (
    revokedBeforeAcceptance !== undefined &&
    revokedBeforeAcceptance.getTime() <= new Date(a.acceptedAt).getTime()
  ) {
    findings.push({
      ...where,
      code: 'REPORT_REVOKED',
      detail: `certificate ${verified.leaf.serial} revoked ${revokedBeforeAcceptance.toISOString()}, report accepted ${a.acceptedAt}`,
      openssl,
    });
    return { tally: undefined, signedDataHash };
  }
  return { tally, signedDataHash };
}

/**
 * Signature, chain and revocation at the signing time the report itself carries, against the CRL
 * in force then. The time the server stored is nearly always that time, so the SignedData is
 * verified at it first (parsed once); only when that fails or the signed time differs is the
 * signed time read out and the check done at it — the verdict is the same either way.
 */
function verifyAtSigningTime(ctx: KitContext, der: Buffer, stored: Date) {
  if (!Number.isNaN(stored.getTime())) {
    try {
      const crl = crlAt(ctx.crls, stored);
      const verified = verifySignedData(der, { trust: ctx.trust, crl: crl.crl, now: stored });
      if (verified.parsed.signingTime.getTime() === stored.getTime()) {
        return { signingTime: stored, crl, verified };
      }
    } catch (error) {
      if (!(error instanceof PkiError)) throw error;
      // a refusal at the stored time is decided again at the signed time, below
    }
  }
  const signingTime = parseSignedData(der).signingTime;
  const crl = crlAt(ctx.crls, signingTime);
  return {
    signingTime,
    crl,
    verified: verifySignedData(der, { trust: ctx.trust, crl: crl.crl, now: signingTime }),
  };
}

/** When the newest CRL says a station certificate was revoked (undefined: it was not). */
function revokedAt(ctx: KitContext, serial: string): Date | undefined {
  const list = ctx.latestCrl.lists.find((l) => l.issuerFingerprint === ctx.issuing.fingerprint);
  return list?.revoked.get(serial)?.revokedAt;
}

function safeJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * A phoned-in result (source telefonisch): no station signature exists, so none is checked; its
 * figures are the tally file the office entered (bytes and parsed; undefined when missing or not
 * a Schnellmeldung). The audit log must record the entry (phone.ts).
 */
export function readPhoneTally(
  ctx: KitContext,
  entry: EnvelopeEntry,
): { bytes: Uint8Array; tally: Schnellmeldung | undefined } | undefined {
  const bytes = readExportFile(ctx.dir, entry.tally);
  if (bytes === undefined) return undefined;
  const parsed = SchnellmeldungSchema.safeParse(safeJson(bytes));
  return { bytes, tally: parsed.success ? parsed.data : undefined };
}
