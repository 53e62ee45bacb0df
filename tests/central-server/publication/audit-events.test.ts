import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../central-server/index.ts';
import type { AuditRow } from '../../../central-server/storage/repository.ts';
import {
  createOffice,
  openSession,
  startTestServer,
  submit,
  urneReport,
  type Office,
} from '../fixture.ts';

/*
 * Every publication is a security-relevant action (issue 9): each snapshot that goes out is a
 * RESULTS_PUBLISHED event in the hash-chained audit log, naming the snapshot by the SHA-256 of its
 * manifest.json — so the results the public saw can be found in the chain, in order, after the
 * reports they count.
 */
let office: Office;
beforeAll(async () => {
  office = await createOffice();
});
afterAll(() => office.cleanup());

type StoredEvent = Omit<AuditRow, 'at'> & { at: string };

function auditLog(file: string): AuditRow[] {
  const sqlite = new Database(file, { readonly: true });
  try {
    const rows = sqlite.prepare('SELECT * FROM AuditEvent ORDER BY id').all() as StoredEvent[];
    return rows.map((r) => ({ ...r, at: new Date(r.at) }));
  } finally {
    sqlite.close();
  }
}

const dataOf = (row: AuditRow) => (JSON.parse(row.event) as { data: Record<string, unknown> }).data;

describe('the audit log records every publication', () => {
  it('writes a RESULTS_PUBLISHED event per snapshot, naming the manifest the public is served', async () => {
    const dbFile = join(office.dir, 'published.db');
    const server = await startTestServer(office, dbFile);
    let manifestSha256 = '';
    try {
      const kit = office.kits.get('P1')!;
      const token = (await openSession(server, kit)).body.token as string;
      const answer = await submit(server, token, await kit.seal(urneReport('P1', [300, 250, 140])));
      expect(answer.status).toBe(201);
      // the snapshot counting the report (publication is asynchronous; flush waits for it)
      let lastSequence = 0;
      for (let attempt = 0; attempt < 50 && lastSequence < 1; attempt++) {
        await server.publicationFlush();
        const bytes = Buffer.from(
          await (await fetch(`${server.resultsUrl}manifest.json`)).arrayBuffer(),
        );
        lastSequence = (JSON.parse(bytes.toString('utf8')) as { lastSequence: number })
          .lastSequence;
        manifestSha256 = createHash('sha256').update(bytes).digest('hex');
      }
      expect(lastSequence).toBe(1);
    } finally {
      await server.close();
    }

    const log = auditLog(dbFile);
    expect(verifyAuditChain(log)).toBeNull();
    const published = log.filter((r) => r.kind === 'RESULTS_PUBLISHED');
    // the empty results at start, then the one counting the report
    expect(published.length).toBeGreaterThanOrEqual(2);
    const served = published.find((r) => dataOf(r).manifestSha256 === manifestSha256);
    expect(served, 'the served manifest is in the audit log').toBeDefined();
    expect(dataOf(served!)).toMatchObject({ lastSequence: 1 });
    const accepted = log.find((r) => r.kind === 'REPORT_ACCEPTED')!;
    expect(served!.id).toBeGreaterThan(accepted.id);
    // in the order they went out: versions never go back (a snapshot whose pages did not fit the
    // time budget is followed by a complete one of the same version), each snapshot is named once
    const versions = published.map((r) => dataOf(r).version as number);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    const manifests = published.map((r) => dataOf(r).manifestSha256);
    expect(new Set(manifests).size).toBe(manifests.length);
    const sequences = published.map((r) => dataOf(r).lastSequence as number);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    for (const r of published) {
      expect(dataOf(r).manifestSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(Date.parse(dataOf(r).generatedAt as string)).not.toBeNaN();
    }
  });
});
