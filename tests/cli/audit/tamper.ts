import { createHash } from 'node:crypto';
import { cpSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '../../../election/index.ts';
import { EnvelopeEntrySchema, type EnvelopeEntry } from '../../../cli/audit/format.ts';

/** Helpers that change one part of a copied audit export, the way a forger would. */
export function copyExport(from: string, to: string): string {
  cpSync(from, to, { recursive: true });
  return to;
}

export function readEntries(dir: string): EnvelopeEntry[] {
  return readFileSync(path.join(dir, 'envelopes.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => EnvelopeEntrySchema.parse(JSON.parse(l)));
}

export function writeEntries(dir: string, entries: readonly EnvelopeEntry[]): void {
  writeFileSync(
    path.join(dir, 'envelopes.jsonl'),
    entries.map((e) => `${JSON.stringify(e)}\n`).join(''),
  );
}

export function acceptedOf(dir: string, precinctId: string, revision = 1): EnvelopeEntry {
  const entry = readEntries(dir).find(
    (e) => e.accepted?.precinctId === precinctId && e.accepted.revision === revision,
  );
  if (entry === undefined) throw new Error(`no accepted report ${precinctId} r${revision}`);
  return entry;
}

export function flipByte(file: string, at: number): void {
  const bytes = readFileSync(file);
  bytes[at] = bytes[at]! ^ 0x01;
  writeFileSync(file, bytes);
}

export function swapFiles(a: string, b: string): void {
  renameSync(a, `${a}.swap`);
  renameSync(b, a);
  renameSync(`${a}.swap`, b);
}

export function removeFiles(dir: string, entry: EnvelopeEntry): void {
  for (const f of [entry.p7s, entry.tally, entry.raw]) {
    if (f !== null) rmSync(path.join(dir, f), { force: true });
  }
}

/** Rewrites JSON lines of a file through `edit` (return the line unchanged to keep it). */
export function editJsonLines(
  file: string,
  edit: (row: Record<string, unknown>) => Record<string, unknown>,
) {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  writeFileSync(file, lines.map((l) => `${JSON.stringify(edit(JSON.parse(l)))}\n`).join(''));
}

/**
 * Rewrites the audit log through `keep` (and each kept event through `edit`) and chains it anew (ids, prevHash, hash), as a forger
 * with write access to the whole export would: the chain itself then holds, so only the checks
 * that look at what the events say can notice.
 */
export function rechainAuditLog(
  dir: string,
  keep: (row: AuditLineRow) => boolean,
  edit: (event: Record<string, unknown>, row: AuditLineRow) => Record<string, unknown> = (e) => e,
): void {
  const file = path.join(dir, 'audit-log.jsonl');
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as AuditLineRow)
    .filter(keep);
  let prev = '0'.repeat(64);
  const out = rows.map((row, i) => {
    const event = canonicalJson({
      ...edit(JSON.parse(row.event) as Record<string, unknown>, row),
      id: i + 1,
    });
    const hash = createHash('sha256').update(prev).update(event).digest('hex');
    const line = { ...row, id: i + 1, event, prevHash: prev, hash };
    prev = hash;
    return `${JSON.stringify(line)}\n`;
  });
  writeFileSync(file, out.join(''));
}

export type AuditLineRow = {
  id: number;
  kind: string;
  precinctId: string | null;
  event: string;
  prevHash: string;
  hash: string;
};
