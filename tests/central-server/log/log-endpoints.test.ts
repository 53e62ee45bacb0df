import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LogCheckpointSchema,
  LogConsistencyProofSchema,
  LogInclusionProofSchema,
  LogLeavesSchema,
} from '../../../api/index.ts';
import type { RunningServer } from '../../../central-server/index.ts';
import {
  leafBytes,
  leafHash,
  openCheckpoint,
  parseVerifierKey,
  verifyConsistency,
  verifyInclusion,
  type NoteKey,
} from '../../../transparency/index.ts';
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
 * /api/v1/log/… (decisions/0093): a client that trusts only the checkpoint key checks what the
 * server hands out — the checkpoint's signature, each leaf's inclusion, the consistency of two
 * signed sizes — and every malformed or out-of-range question is refused with a code.
 */
let office: Office;
let server: RunningServer;
let key: NoteKey;
const log = (path: string) => get(`${server.url}/api/v1/log/${path}`);
const b = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

beforeAll(async () => {
  office = await createOffice();
  key = parseVerifierKey(readFileSync(join(office.pkiDir, 'checkpoint.vkey'), 'utf8'));
  server = await startTestServer(office);
});
afterAll(async () => {
  await server.close();
  office.cleanup();
});

describe('the transparency log over HTTP', () => {
  it('has no checkpoint before the first report (LOG_EMPTY)', async () => {
    const { status, body } = await log('checkpoint');
    expect(status).toBe(404);
    expect(body.error?.code).toBe('LOG_EMPTY');
  });

  it('serves a signed checkpoint, and proofs a client checks against it alone', async () => {
    const sizes: number[] = [];
    for (const [id, d] of [
      ['P1', [300, 250, 140]],
      ['P2', [400, 350, 200]],
      ['P3', [100, 100, 100]],
    ] as const) {
      const { body } = await openSession(server, office.kits.get(id)!);
      const sent = await submit(
        server,
        body.token as string,
        await office.kits.get(id)!.seal(urneReport(id, [...d])),
      );
      expect(sent.status).toBe(201);
      sizes.push(LogCheckpointSchema.parse((await log('checkpoint')).body).size);
    }
    expect(sizes).toEqual([1, 2, 3]);
    const latest = LogCheckpointSchema.parse((await log('checkpoint')).body);
    const checkpoint = openCheckpoint(latest.checkpoint, key);
    expect(Buffer.from(checkpoint.root).toString('base64')).toBe(latest.root);

    const leaves = LogLeavesSchema.parse((await log('leaves?start=0&end=3')).body).leaves;
    expect(leaves.map((l) => [l.index, l.sequence])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    for (const leaf of leaves) {
      const answer = LogInclusionProofSchema.parse(
        (await log(`proof/inclusion?index=${leaf.index}`)).body,
      );
      expect(answer).toMatchObject({
        index: leaf.index,
        size: 3,
        leaf: leaf.leaf,
        checkpoint: latest.checkpoint,
      });
      verifyInclusion(
        leaf.index,
        3,
        leafHash(leafBytes(leaf.leaf)),
        answer.proof.map(b),
        checkpoint.root,
      );
    }
    // an older signed size: the proof leads to that checkpoint
    const old = LogInclusionProofSchema.parse((await log('proof/inclusion?index=0&size=2')).body);
    verifyInclusion(
      0,
      2,
      leafHash(leafBytes(leaves[0]!.leaf)),
      old.proof.map(b),
      openCheckpoint(old.checkpoint, key).root,
    );

    const consistency = LogConsistencyProofSchema.parse(
      (await log('proof/consistency?from=2')).body,
    );
    expect(consistency).toMatchObject({ from: 2, to: 3 });
    verifyConsistency(
      2,
      3,
      consistency.proof.map(b),
      openCheckpoint(old.checkpoint, key).root,
      checkpoint.root,
    );
  });

  it.each([
    ['proof/inclusion', 400, 'INVALID_REQUEST'],
    ['proof/inclusion?index=-1', 400, 'INVALID_REQUEST'],
    ['proof/inclusion?index=01', 400, 'INVALID_REQUEST'],
    ['proof/inclusion?index=1&extra=1', 400, 'INVALID_REQUEST'],
    ['proof/inclusion?index=3', 400, 'LOG_RANGE_INVALID'],
    ['proof/inclusion?index=0&size=9', 400, 'LOG_RANGE_INVALID'],
    ['proof/consistency?from=0', 400, 'LOG_RANGE_INVALID'],
    ['proof/consistency?from=2&to=1', 400, 'LOG_RANGE_INVALID'],
    ['leaves?start=0&end=4', 400, 'LOG_RANGE_INVALID'],
    ['leaves?start=2&end=2', 400, 'LOG_RANGE_INVALID'],
    ['leaves?start=0&end=99999', 400, 'LOG_RANGE_INVALID'],
    ['leaves?start=a&end=2', 400, 'INVALID_REQUEST'],
  ])('refuses %s (%i %s)', async (path, status, code) => {
    const answer = await log(path);
    expect(answer.status).toBe(status);
    expect(answer.body.error?.code).toBe(code);
  });
});
