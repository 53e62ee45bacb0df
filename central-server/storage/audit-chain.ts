import { hash } from 'node:crypto';
import { canonicalJson } from '../../election/index.ts';
import type { AuditRow } from './repository.ts';

/** The hash before the first event: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

export type AuditDraft = {
  readonly kind: string;
  readonly at: Date;
  readonly precinctId?: string | null;
  readonly requestId?: string | null;
  readonly data: Record<string, unknown>;
};

/**
 * The hash-chained audit log (Abacus writes its audit log in the same transaction as the change;
 * we add the chain so that a deleted or edited row breaks every later hash):
 * `hash = sha256(prevHash ‖ canonical JSON of the event)`, ids gap-free from 1.
 *
 * The chain head lives in memory and moves only after the transaction holding the new rows has
 * committed; callers serialise all audit writes (the server's write lock), so rows are drafted
 * against the true head.
 */
export class AuditChain {
  private head: { id: number; hash: string };

  constructor(head: { id: number; hash: string } | null) {
    this.head = head ?? { id: 0, hash: GENESIS_HASH };
  }

  /** Chains drafts after the current head (or after `after`, the last row drafted in a batch). */
  draft(event: AuditDraft, after?: AuditRow): AuditRow {
    const prev = after ?? { id: this.head.id, hash: this.head.hash };
    return chainRow(prev, event);
  }

  /** The batch holding `row` (the last of its drafts) has committed. */
  advance(row: AuditRow): void {
    this.head = { id: row.id, hash: row.hash };
  }

  get headHash(): string {
    return this.head.hash;
  }

  get headId(): number {
    return this.head.id;
  }
}

export function canonicalEvent(row: Omit<AuditRow, 'event' | 'prevHash' | 'hash'>, data: unknown) {
  return canonicalJson({
    id: row.id,
    at: row.at.toISOString(),
    kind: row.kind,
    precinctId: row.precinctId,
    requestId: row.requestId,
    data,
  });
}

/**
 * `sha256(prevHash ‖ event)` in hex, both as UTF-8 — one-shot, without a hash object per row
 * (a native object the collector has to free; decisions/0055, s10).
 */
const chainHash = (prevHash: string, event: string): string =>
  hash('sha256', prevHash + event, 'hex');

function chainRow(prev: { id: number; hash: string }, event: AuditDraft): AuditRow {
  const base = {
    id: prev.id + 1,
    at: event.at,
    kind: event.kind,
    precinctId: event.precinctId ?? null,
    requestId: event.requestId ?? null,
  };
  const text = canonicalEvent(base, event.data);
  return { ...base, event: text, prevHash: prev.hash, hash: chainHash(prev.hash, text) };
}

/** Recomputes the chain; returns the id of the first broken row, or null if intact. */
export function verifyAuditChain(rows: readonly AuditRow[]): number | null {
  let prev = GENESIS_HASH;
  let expectedId = 1;
  for (const row of rows) {
    if (row.id !== expectedId || row.prevHash !== prev) return row.id;
    if (chainHash(prev, row.event) !== row.hash) return row.id;
    prev = row.hash;
    expectedId += 1;
  }
  return null;
}
