import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { copyFile, cp, mkdir, readdir, realpath, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import {
  openAuditSource,
  type AuditEnvelope,
  type AuditSource,
} from '../../central-server/index.ts';
import {
  PkiError,
  decryptEnvelope,
  loadServerMaterial,
  parseSignedData,
  pkiPaths,
} from '../../pki/index.ts';
import {
  EXPORT_FORMAT,
  EXPORT_PATHS,
  SERVER_CERTIFICATE_ROLES,
  reportFiles,
  type EnvelopeEntry,
  type ExportManifest,
  type RefusedRequestLine,
} from './format.ts';

export type ExportOptions = {
  readonly pkiDir: string;
  readonly electionFile: string;
  readonly db: string;
  /** the server's --publish-dir (a link to the current snapshot); skipped when missing */
  readonly publicationDir: string;
  readonly outDir: string;
  readonly now: Date;
  readonly tool: string;
  readonly onProgress?: (phase: ExportPhase, done: number) => void;
};

export type ExportPhase = 'envelopes' | 'audit-log' | 'log' | 'publication';

/**
 * `wahlkoffer audit export`: writes the audit export (cli/audit/format.ts, decisions/0096) from
 * the server's database and PKI directory. Streams: envelopes are read 500 at a time and their
 * files written with bounded parallelism, so memory does not grow with the election.
 * The export needs the report-decryption key (refused envelopes are stored encrypted); the
 * export itself holds no private key.
 */
export async function exportAudit(options: ExportOptions): Promise<ExportManifest> {
  const out = options.outDir;
  await mkdir(path.join(out, EXPORT_PATHS.crls), { recursive: true });
  const material = await loadServerMaterial(options.pkiDir, options.now);
  const crls = await copyPki(options.pkiDir, out);
  await copyFile(options.electionFile, path.join(out, EXPORT_PATHS.election));
  const source = await openAuditSource(options.db);
  try {
    const counts = await exportEnvelopes(source, material.decryptionKey, out, options.onProgress);
    const auditEvents = await exportAuditLog(source, out, options.onProgress);
    const log = await exportLog(source, out, options.onProgress);
    const refusedRequests = await exportRefusedRequests(source, out);
    const publication = await copyPublication(options.publicationDir, out);
    options.onProgress?.('publication', publication ? 1 : 0);
    const manifest: ExportManifest = {
      format: EXPORT_FORMAT,
      electionId: material.electionId,
      exportedAt: options.now.toISOString(),
      tool: options.tool,
      database: source.provider,
      counts: { ...counts, auditEvents, crls, ...log, refusedRequests },
      publication,
    };
    // last: a folder without export.json is an export that did not finish
    await writeFile(
      path.join(out, EXPORT_PATHS.manifest),
      `${JSON.stringify(manifest, null, 1)}\n`,
    );
    return manifest;
  } finally {
    await source.close();
  }
}

/** Root, issuing CA, CRLs (current and every one ever published), the log key, server certificates. */
async function copyPki(pkiDir: string, out: string): Promise<number> {
  const p = pkiPaths(pkiDir);
  await copyFile(p.root, path.join(out, EXPORT_PATHS.rootCa));
  await copyFile(p.issuing, path.join(out, EXPORT_PATHS.issuingCa));
  await copyFile(p.crl, path.join(out, EXPORT_PATHS.crl));
  await copyFile(p.checkpointKey, path.join(out, EXPORT_PATHS.checkpointKey));
  for (const role of SERVER_CERTIFICATE_ROLES) {
    await copyFile(p.serverCert(role), path.join(out, EXPORT_PATHS.pki, `${role}.pem`));
  }
  const history = (await readdir(path.join(pkiDir, 'crls'))).filter((f) =>
    /^crl-\d{6}\.pem$/.test(f),
  );
  for (const f of history) {
    await copyFile(path.join(pkiDir, 'crls', f), path.join(out, EXPORT_PATHS.crls, f));
  }
  return history.length;
}

/** A line-per-record file written with back-pressure. */
class JsonLines {
  private readonly stream: WriteStream;
  private readonly failed: Promise<never>;

  constructor(file: string) {
    this.stream = createWriteStream(file, { encoding: 'utf8' });
    this.failed = once(this.stream, 'error').then(([error]) => {
      throw error;
    });
    this.failed.catch(() => undefined);
  }

  async write(record: unknown): Promise<void> {
    if (!this.stream.write(`${JSON.stringify(record)}\n`)) {
      await Promise.race([once(this.stream, 'drain'), this.failed]);
    }
  }

  async close(): Promise<void> {
    this.stream.end();
    await Promise.race([once(this.stream, 'finish'), this.failed]);
  }
}

/** Runs file writes with at most `limit` in flight; `drain` waits for all and rethrows. */
class WriteQueue {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown;

  constructor(private readonly limit: number) {}

  async add(file: string, bytes: Uint8Array): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    while (this.inFlight.size >= this.limit) await Promise.race(this.inFlight);
    const write = writeFile(file, bytes).then(
      () => {
        this.inFlight.delete(write);
      },
      (error: unknown) => {
        this.inFlight.delete(write);
        this.failure ??= error;
      },
    );
    this.inFlight.add(write);
  }

  async drain(): Promise<void> {
    await Promise.all(this.inFlight);
    if (this.failure !== undefined) throw this.failure;
  }
}

async function exportEnvelopes(
  source: AuditSource,
  decryptionKey: KeyObject,
  out: string,
  onProgress: ExportOptions['onProgress'],
) {
  const lines = new JsonLines(path.join(out, EXPORT_PATHS.envelopes));
  const queue = new WriteQueue(16);
  const folders = new Set<string>();
  const counts = { envelopes: 0, accepted: 0, refused: 0, repeated: 0 };
  for await (const envelope of source.envelopes()) {
    const files = reportFiles(envelope.id, envelope.precinctId);
    if (!folders.has(files.folder)) {
      await mkdir(path.join(out, files.folder), { recursive: true });
      folders.add(files.folder);
    }
    const opened = await innerSignedData(envelope, decryptionKey);
    if (opened.signedData !== undefined) {
      await queue.add(path.join(out, files.p7s), opened.signedData);
    }
    if (opened.tally !== undefined) await queue.add(path.join(out, files.tally), opened.tally);
    if (opened.signedData === undefined && envelope.report === null) {
      await queue.add(path.join(out, files.raw), envelope.body);
    }
    await lines.write(entryOf(envelope, files, opened));
    counts.envelopes += 1;
    if (envelope.verdict === 'ACCEPTED') counts.accepted += 1;
    else if (envelope.verdict === 'REPEATED') counts.repeated += 1;
    else counts.refused += 1;
    if (counts.envelopes % 500 === 0) onProgress?.('envelopes', counts.envelopes);
  }
  await queue.drain();
  await lines.close();
  onProgress?.('envelopes', counts.envelopes);
  return counts;
}

type Opened = {
  readonly signedData: Uint8Array | undefined;
  readonly tally: Uint8Array | undefined;
  readonly error: string | null;
};

/**
 * The SignedData inside an envelope: stored with an accepted report; for a refused or repeated
 * one decrypted here. What cannot be decrypted or parsed is exported as it came, with the code.
 */
async function innerSignedData(envelope: AuditEnvelope, key: KeyObject): Promise<Opened> {
  if (envelope.report !== null) {
    // a result taken by phone has no station signature (Report.source telefonisch): figures only
    if (sourceOf(envelope.report) === 'telefonisch') {
      return { signedData: undefined, tally: envelope.report.signedBytes, error: null };
    }
    return {
      signedData: envelope.report.signedData,
      tally: envelope.report.signedBytes,
      error: null,
    };
  }
  let signedData: Uint8Array;
  try {
    signedData = await decryptEnvelope(envelope.body, key);
  } catch (error) {
    if (!(error instanceof PkiError)) throw error;
    return { signedData: undefined, tally: undefined, error: error.code };
  }
  try {
    return { signedData, tally: parseSignedData(signedData).content, error: null };
  } catch (error) {
    if (!(error instanceof PkiError)) throw error;
    return { signedData, tally: undefined, error: error.code };
  }
}

function entryOf(
  e: AuditEnvelope,
  files: ReturnType<typeof reportFiles>,
  opened: Opened,
): EnvelopeEntry {
  const r = e.report;
  return {
    envelopeId: e.id,
    receivedAt: e.receivedAt.toISOString(),
    requestId: e.requestId,
    verdict: e.verdict,
    code: e.code,
    detail: e.detail,
    precinctId: e.precinctId,
    contestId: e.contestId,
    revision: e.revision,
    envelopeSha256: e.sha256,
    p7s: opened.signedData === undefined ? null : files.p7s,
    tally: opened.tally === undefined ? null : files.tally,
    raw: opened.signedData === undefined && r === null ? files.raw : null,
    openError: opened.error,
    accepted:
      r === null
        ? null
        : {
            sequence: r.sequence,
            precinctId: r.precinctId,
            contestId: r.contestId,
            revision: r.revision,
            acceptedAt: r.acceptedAt.toISOString(),
            signingTime: r.signingTime.toISOString(),
            // a result taken by phone has no signer (stored as "")
            certSerial: sourceOf(r) === 'telefonisch' ? null : r.certSerial,
            certFingerprint: sourceOf(r) === 'telefonisch' ? null : r.certFingerprint,
            envelopeHash: r.envelopeHash,
            contentHash: r.contentHash,
            correctionReason: r.correctionReason,
            current: r.current,
            source: sourceOf(r),
            receipt: r.receipt === null ? null : Buffer.from(r.receipt.jws).toString('utf8'),
            receiptCode: r.receipt?.code ?? null,
          },
  };
}

/** Report.source (kit | telefonisch) where the schema has it; before that every report is a kit's. */
function sourceOf(report: object): 'kit' | 'telefonisch' {
  return 'source' in report && report.source === 'telefonisch' ? 'telefonisch' : 'kit';
}

async function exportAuditLog(
  source: AuditSource,
  out: string,
  onProgress: ExportOptions['onProgress'],
): Promise<number> {
  const lines = new JsonLines(path.join(out, EXPORT_PATHS.auditLog));
  let n = 0;
  for await (const row of source.auditEvents()) {
    await lines.write({ ...row, at: row.at.toISOString() });
    n += 1;
    if (n % 2000 === 0) onProgress?.('audit-log', n);
  }
  await lines.close();
  onProgress?.('audit-log', n);
  return n;
}

/** Requests refused without a session (the server's bounded record of them), one per line. */
async function exportRefusedRequests(source: AuditSource, out: string): Promise<number | null> {
  const rows = await source.refusedRequests();
  if (rows === undefined) return null;
  const lines = new JsonLines(path.join(out, EXPORT_PATHS.refusedRequests));
  let n = 0;
  for await (const row of rows) {
    const line: RefusedRequestLine = { ...row, at: row.at.toISOString() };
    await lines.write(line);
    n += 1;
  }
  await lines.close();
  return n;
}

async function exportLog(
  source: AuditSource,
  out: string,
  onProgress: ExportOptions['onProgress'],
): Promise<{ leaves: number | null; checkpoints: number | null }> {
  const leaves = await source.logLeaves();
  const checkpoints = await source.checkpoints();
  if (leaves === undefined || checkpoints === undefined) return { leaves: null, checkpoints: null };
  await mkdir(path.join(out, 'log'), { recursive: true });
  const leafLines = new JsonLines(path.join(out, EXPORT_PATHS.leaves));
  let n = 0;
  for await (const leaf of leaves) {
    await leafLines.write(leaf);
    n += 1;
    if (n % 2000 === 0) onProgress?.('log', n);
  }
  await leafLines.close();
  const checkpointLines = new JsonLines(path.join(out, EXPORT_PATHS.checkpoints));
  for (const c of checkpoints) {
    await checkpointLines.write({
      size: c.size,
      createdAt: c.createdAt.toISOString(),
      note: c.note,
    });
  }
  await checkpointLines.close();
  return { leaves: n, checkpoints: checkpoints.length };
}

/** The current snapshot behind the publish link, copied whole; false when there is none. */
async function copyPublication(publicationDir: string, out: string): Promise<boolean> {
  const resolved = await realpath(publicationDir).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  });
  if (resolved === undefined || !(await stat(resolved)).isDirectory()) return false;
  if (!(await readdir(resolved)).includes('manifest.json')) return false;
  await cp(resolved, path.join(out, EXPORT_PATHS.publication), { recursive: true });
  return true;
}
