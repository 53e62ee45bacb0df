import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AuditChain,
  GENESIS_HASH,
  verifyAuditChain,
} from '../../../central-server/storage/audit-chain.ts';

function chainOf(n: number) {
  const chain = new AuditChain(null);
  const rows = [];
  let last;
  for (let i = 0; i < n; i++) {
    last = chain.draft(
      { kind: 'TEST', at: new Date(Date.UTC(2026, 8, 27, 18, i)), data: { i } },
      last,
    );
    rows.push(last);
  }
  return rows;
}

describe('the audit chain', () => {
  it('starts at the genesis hash and links every row to the one before', () => {
    const rows = chainOf(3);
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
    expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(verifyAuditChain(rows)).toBeNull();
  });

  it('hashes each row as SHA-256 (hex) of the previous hash and the event text, both UTF-8', () => {
    // what `audit verify` and an auditor recompute; the event may hold any Unicode
    const chain = new AuditChain(null);
    const first = chain.draft({ kind: 'TEST', at: new Date(0), data: { name: 'Köln Süd 🗳' } });
    const second = chain.draft({ kind: 'TEST', at: new Date(1), data: { name: '\u00e9' } }, first);
    for (const row of [first, second]) {
      const expected = createHash('sha256')
        .update(Buffer.from(row.prevHash, 'utf8'))
        .update(Buffer.from(row.event, 'utf8'))
        .digest('hex');
      expect(row.hash).toBe(expected);
    }
    expect(first.event).toContain('Köln Süd 🗳');
  });

  it('detects an edited, deleted or reordered row', () => {
    const rows = chainOf(4);
    const edited = rows.map((r, i) =>
      i === 1 ? { ...r, event: r.event.replace('"i":1', '"i":9') } : r,
    );
    expect(verifyAuditChain(edited)).toBe(2);
    expect(verifyAuditChain([rows[0]!, rows[2]!, rows[3]!])).toBe(3);
    expect(verifyAuditChain([rows[1]!, rows[0]!])).toBe(2);
  });

  it('continues from a stored head', () => {
    const rows = chainOf(2);
    const resumed = new AuditChain({ id: rows[1]!.id, hash: rows[1]!.hash });
    const next = resumed.draft({ kind: 'TEST', at: new Date(0), data: {} });
    expect(verifyAuditChain([...rows, next])).toBeNull();
  });
});
