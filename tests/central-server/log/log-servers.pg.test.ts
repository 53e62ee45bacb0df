import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../central-server/index.ts';
import { createTrust } from '../../../pki/chain.ts';
import { verifyReceipt } from '../../../pki/receipt.ts';
import {
  EMPTY_FRONTIER,
  appendLeaves,
  equalBytes,
  frontierRoot,
  leafBytes,
  leafHash,
  openCheckpoint,
  parseVerifierKey,
  reportLeaf,
  verifyLogInclusion,
  type Frontier,
} from '../../../transparency/index.ts';
import { freshDatabase, query } from '../../postgres/database.ts';
import {
  createOffice,
  get,
  openSession,
  startTestServer,
  submit,
  urneReport,
  type Office,
} from '../fixture.ts';

/*
 * Two servers on one PostgreSQL database form ONE log (decisions/0091, 0111): whichever server
 * takes a report, its leaf takes the next index, every checkpoint either server signs is the root
 * of the one tree at its size, and every receipt proves its report against it.
 */
let office: Office;
let url: string;
let a: RunningServer;
let b: RunningServer;

beforeAll(async () => {
  office = await createOffice();
  url = await freshDatabase('log_servers');
  a = await startTestServer(office, url, undefined, { publishDir: join(office.dir, 'pub-a') });
  b = await startTestServer(office, url, undefined, { publishDir: join(office.dir, 'pub-b') });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  office.cleanup();
});

describe('two servers on one PostgreSQL database', () => {
  it('append to one log: gap-free leaves, every checkpoint a root of the one tree, every receipt proven', async () => {
    const key = parseVerifierKey(readFileSync(join(office.pkiDir, 'checkpoint.vkey'), 'utf8'));
    const trust = createTrust(readFileSync(join(office.pkiDir, 'root-ca.pem'), 'utf8'));
    const ids = ['P1', 'P2', 'P3'];
    // each kit's session on one server, its reports alternately to both, all at once
    const tokens = await Promise.all(
      ids.map(async (id, i) => (await openSession(i % 2 === 0 ? a : b, office.kits.get(id)!)).body),
    );
    const sends = ids.flatMap((id, i) =>
      [1, 2, 3].map(async (revision) => {
        const extra = revision === 1 ? {} : { revision, correctionReason: 'neu gezählt' };
        const envelope = await office.kits
          .get(id)!
          .seal(urneReport(id, [300 + revision, 250, 140], extra));
        return { id, revision, envelope, token: tokens[i]!.token as string };
      }),
    );
    const prepared = await Promise.all(sends);
    const answers = await Promise.all(
      prepared.map((p, k) => submit(k % 2 === 0 ? a : b, p.token, p.envelope)),
    );
    // a correction may overtake its predecessor and be refused as outdated; what was accepted counts
    const accepted = answers.filter((x) => x.status === 201);
    expect(accepted.length).toBeGreaterThanOrEqual(3);

    const leaves = await query<{ index: number; sequence: number; leaf: string }>(
      url,
      'SELECT "index", "sequence", "leaf" FROM "LogLeaf" ORDER BY "index"',
    );
    const reports = await query<{
      sequence: number;
      signedData: Buffer;
      contentHash: string;
      acceptedAt: Date;
      precinctId: string;
      contestId: string;
      revision: number;
    }>(
      url,
      'SELECT "sequence", "signedData", "contentHash", "acceptedAt", "precinctId", "contestId", "revision" FROM "Report" ORDER BY "sequence"',
    );
    expect(leaves.map((l) => l.index)).toEqual(reports.map((_, i) => i));
    expect(leaves.map((l) => l.sequence)).toEqual(reports.map((r) => r.sequence));
    reports.forEach((r, i) =>
      expect(leaves[i]!.leaf).toBe(
        reportLeaf({
          electionId: 'test-ob',
          precinctId: r.precinctId,
          contestId: r.contestId,
          revision: r.revision,
          sequence: r.sequence,
          serverTime: new Date(r.acceptedAt).toISOString(),
          tallyHash: r.contentHash,
          source: 'kit',
          signedDataHash: createHash('sha256').update(r.signedData).digest('hex'),
        }),
      ),
    );

    const checkpoints = await query<{ size: number; note: string }>(
      url,
      'SELECT "size", "note" FROM "Checkpoint" ORDER BY "size"',
    );
    expect(checkpoints.at(-1)!.size).toBe(leaves.length);
    let frontier: Frontier = EMPTY_FRONTIER;
    let next = 0;
    for (const c of checkpoints) {
      const hashes = leaves.slice(next, c.size).map((l) => leafHash(leafBytes(l.leaf)));
      frontier = appendLeaves(frontier, hashes).frontier;
      next = c.size;
      expect(equalBytes(openCheckpoint(c.note, key).root, frontierRoot(frontier))).toBe(true);
    }

    // both servers serve the one log's latest checkpoint and the same proofs, from the database
    const [fromA, fromB] = await Promise.all(
      [a, b].map(async (s) => (await get(`${s.url}/api/v1/log/checkpoint`)).body),
    );
    expect(fromA).toEqual(fromB);
    expect(fromA!.checkpoint).toBe(checkpoints.at(-1)!.note);
    const proofs = await Promise.all(
      [a, b].map(async (s) => (await get(`${s.url}/api/v1/log/proof/inclusion?index=0`)).body),
    );
    expect(proofs[0]).toEqual(proofs[1]);

    for (const answer of accepted) {
      const receipt = verifyReceipt(
        Buffer.from(answer.body.receipt as string, 'base64'),
        trust,
        new Date(),
      );
      const leaf = leaves.find((l) => l.sequence === receipt.sequence)!;
      expect(receipt.log?.index).toBe(leaf.index);
      verifyLogInclusion(leaf.leaf, receipt.log!, key);
    }
  });
});
