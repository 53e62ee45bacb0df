import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../election/index.ts';
import { AuditLineSchema, EXPORT_PATHS } from '../format.ts';
import type { Finding } from '../findings.ts';
import { readLines } from './lines.ts';
import type { PhoneRecord } from './phone.ts';
import { NO_DISTRICT, type Interned, type SequenceColumn } from './sequences.ts';

/** The hash before the first event (central-server/storage/audit-chain.ts). */
const GENESIS_HASH = '0'.repeat(64);

/** The events that record an accepted report: a kit's, and a result taken by phone. */
const ACCEPTED_KINDS = new Set(['REPORT_ACCEPTED', 'REPORT_PHONED_IN']);

/**
 * The audit log, recomputed line by line: `hash = sha256(prevHash ‖ event)`, ids gap-free from 1,
 * and each line's columns equal to what its hashed event says (central-server/storage/
 * audit-chain.ts). One broken line is one finding; the chain goes on from the line as stored, so
 * a single edit is reported once, not for every later line.
 * On the way it notes in `accepted.logged` which report sequence numbers the log says were
 * accepted, and for which district (a dropped report leaves its event behind), and hands every
 * event to the record of phoned-in results; and collects the manifest hashes of the snapshots
 * it records as published (RESULTS_PUBLISHED, one per snapshot — a few thousand at most).
 */
export async function checkAuditLog(
  dir: string,
  findings: Finding[],
  phone: PhoneRecord,
  accepted: { readonly names: Interned; readonly logged: SequenceColumn },
  onEvent: (n: number) => void,
): Promise<{ events: number; publishedManifests: Set<string> }> {
  const publishedManifests = new Set<string>();
  let prev = GENESIS_HASH;
  let expectedId = 1;
  let events = 0;
  const found = await readLines(dir, EXPORT_PATHS.auditLog, (line, lineNo) => {
    const file = `${EXPORT_PATHS.auditLog}:${lineNo}`;
    const parsed = AuditLineSchema.safeParse(safeJson(line));
    if (!parsed.success) {
      findings.push({ code: 'AUDIT_CHAIN_BROKEN', file, detail: 'unreadable line' });
      return;
    }
    const row = parsed.data;
    events += 1;
    const where = row.precinctId === null ? {} : { precinctId: row.precinctId };
    const hash = createHash('sha256').update(prev).update(row.event).digest('hex');
    const event = safeJson(row.event) as Record<string, unknown> | undefined;
    const columns =
      event !== undefined &&
      canonicalJson({
        id: event.id,
        at: event.at,
        kind: event.kind,
        precinctId: event.precinctId,
        requestId: event.requestId,
      }) ===
        canonicalJson({
          id: row.id,
          at: row.at,
          kind: row.kind,
          precinctId: row.precinctId,
          requestId: row.requestId,
        });
    const problems = [
      row.id === expectedId ? null : `id ${row.id} where ${expectedId} belongs`,
      row.prevHash === prev ? null : 'prevHash is not the previous line’s hash',
      hash === row.hash ? null : 'hash does not match the event',
      columns ? null : 'the columns differ from the hashed event',
    ].filter((p) => p !== null);
    if (problems.length > 0) {
      findings.push({
        code: 'AUDIT_CHAIN_BROKEN',
        ...where,
        file,
        detail: `event ${row.id}: ${problems.join('; ')}`,
      });
    }
    prev = row.hash;
    expectedId = row.id + 1;
    const data = event?.data as Record<string, unknown> | undefined;
    if (ACCEPTED_KINDS.has(row.kind) && typeof data?.sequence === 'number') {
      // the district's interned id; NO_DISTRICT when the event names none
      accepted.logged.set(
        data.sequence,
        row.precinctId === null ? NO_DISTRICT : accepted.names.id(row.precinctId),
      );
    }
    if (row.kind === 'RESULTS_PUBLISHED' && typeof data?.manifestSha256 === 'string') {
      publishedManifests.add(data.manifestSha256);
    }
    phone.onEvent(row, data);
    if (events % 5000 === 0) onEvent(events);
  });
  if (!found) {
    findings.push({
      code: 'AUDIT_CHAIN_BROKEN',
      file: EXPORT_PATHS.auditLog,
      detail: 'audit-log.jsonl missing',
    });
  }
  return { events, publishedManifests };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
