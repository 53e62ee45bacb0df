import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VerifyPool } from '../../../central-server/intake/verify-pool.ts';
import type { OpenedReport } from '../../../central-server/intake/types.ts';
import { createLogger } from '../../../central-server/logger.ts';
import { createTrust } from '../../../pki/chain.ts';
import { PkiError } from '../../../pki/index.ts';
import { verifyReceipt } from '../../../pki/receipt.ts';
import { ELECTION_ID, createOffice, urneReport, type Office } from '../fixture.ts';

/** Six genuine envelopes of three stations (two revisions each), each with the votes it carries. */
type Sealed = { precinctId: string; revision: number; d1: number; body: Uint8Array };

let office: Office;
let sealed: Sealed[];
const pools: VerifyPool[] = [];

beforeAll(async () => {
  office = await createOffice();
  sealed = [];
  for (const revision of [1, 2]) {
    for (const [n, precinctId] of ['P1', 'P2', 'P3'].entries()) {
      const d1 = 100 * revision + n;
      const kit = office.kits.get(precinctId)!;
      const body = await kit.seal(urneReport(precinctId, [d1, 20, 30], { revision }));
      sealed.push({ precinctId, revision, d1, body });
    }
  }
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  office.cleanup();
});

async function startPool(size: number): Promise<VerifyPool> {
  const paths = { pkiDir: office.pkiDir, electionId: ELECTION_ID, startedAt: Date.now() };
  const pool = await VerifyPool.start(size, paths, createLogger('silent'));
  pools.push(pool);
  // the certificate preload done, so nothing but the jobs runs in the workers
  while (!pool.preload().done) await new Promise((resolve) => setTimeout(resolve, 20));
  return pool;
}

/** The envelopes given to the pool in one turn of the event loop, and how many messages that took. */
async function openInOneTurn(pool: VerifyPool, bodies: readonly Uint8Array[]) {
  const before = pool.messageCounts();
  const now = new Date();
  const settled = await Promise.allSettled(bodies.map((body) => pool.open(body, now)));
  const after = pool.messageCounts();
  return {
    settled,
    messages: { sent: after.sent - before.sent, received: after.received - before.received },
  };
}

function receiptFields(precinctId: string, sequence: number, receivedAt: Date) {
  return {
    electionId: ELECTION_ID,
    precinctId,
    contestId: 'OB',
    revision: 1,
    sequence,
    reportHash: 'ab'.repeat(32),
    envelopeHash: 'cd'.repeat(32),
    receivedAt,
  };
}

function expectOpened(result: PromiseSettledResult<OpenedReport>, envelope: Sealed): void {
  expect(result.status).toBe('fulfilled');
  const opened = (result as PromiseFulfilledResult<OpenedReport>).value;
  expect(opened.signer.precinctId).toBe(envelope.precinctId);
  expect(opened.schnellmeldung.revision).toBe(envelope.revision);
  expect(opened.schnellmeldung.counts.D1).toBe(envelope.d1);
  expect(Buffer.from(opened.signedBytes).toString('utf8')).toContain(`"D1":${envelope.d1}`);
}

describe('the verification pool sends the jobs of one event-loop turn together', () => {
  it('six envelopes given in one turn go to the worker in one message and come back in one', async () => {
    const pool = await startPool(1);
    const { settled, messages } = await openInOneTurn(
      pool,
      sealed.map((s) => s.body),
    );
    expect(messages).toEqual({ sent: 1, received: 1 });
    settled.forEach((result, i) => expectOpened(result, sealed[i]!));
  });

  it('each envelope gets its own verdict: a refused one in the same message leaves the others accepted', async () => {
    const pool = await startPool(1);
    const garbage = new TextEncoder().encode('{"format":"wahlkoffer.meldung/1","jwe":"a.b.c.d.e"}');
    // one character of the ciphertext changed: the AES-GCM tag no longer matches
    const text = Buffer.from(sealed[1]!.body).toString('utf8');
    const at = text.lastIndexOf('.') - 5;
    const tampered = Buffer.from(
      text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1),
    );
    const bodies = [sealed[0]!.body, garbage, sealed[2]!.body, tampered, sealed[4]!.body];
    const { settled, messages } = await openInOneTurn(pool, bodies);
    expect(messages).toEqual({ sent: 1, received: 1 });
    expectOpened(settled[0]!, sealed[0]!);
    expectOpened(settled[2]!, sealed[2]!);
    expectOpened(settled[4]!, sealed[4]!);
    for (const refused of [settled[1]!, settled[3]!]) {
      expect(refused.status).toBe('rejected');
      expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(PkiError);
    }
    expect(((settled[1] as PromiseRejectedResult).reason as PkiError).code).toBe(
      'ENVELOPE_MALFORMED',
    );
  });

  it("the envelopes keep their own buffers: the caller's bytes are neither moved nor changed", async () => {
    const pool = await startPool(1);
    const copies = sealed.map((s) => Buffer.from(s.body));
    await openInOneTurn(
      pool,
      sealed.map((s) => s.body),
    );
    sealed.forEach((s, i) => expect(Buffer.from(s.body).equals(copies[i]!)).toBe(true));
  });

  it("with two workers, one turn's jobs are shared out least busy first: one message to each and one back from each", async () => {
    const pool = await startPool(2);
    const { settled, messages } = await openInOneTurn(
      pool,
      sealed.map((s) => s.body),
    );
    expect(messages).toEqual({ sent: 2, received: 2 });
    settled.forEach((result, i) => expectOpened(result, sealed[i]!));
  });

  it("a batch's receipts are signed in a thread of their own, with the receipt key", async () => {
    const pool = await startPool(1);
    const now = new Date();
    const before = pool.messageCounts();
    const [opened, signed] = await Promise.all([
      pool.open(sealed[0]!.body, now),
      pool.signReceipts([receiptFields('P2', 7, now)]),
    ]);
    const after = pool.messageCounts();
    // one message to the verification worker, one to the signing thread, one answer from each
    expect({ sent: after.sent - before.sent, received: after.received - before.received }).toEqual({
      sent: 2,
      received: 2,
    });
    expect(opened.signer.precinctId).toBe('P1');
    const trust = createTrust(readFileSync(join(office.pkiDir, 'root-ca.pem'), 'utf8'));
    const receipt = verifyReceipt(signed[0]!.receipt, trust, now);
    expect(receipt).toMatchObject({ precinctId: 'P2', revision: 1, sequence: 7 });
    expect(receipt.receiptCode).toBe(signed[0]!.receiptCode);
    // the kit's answer text comes with it: base64 of the receipt, in memory of its own
    const { text } = signed[0]!;
    expect(Buffer.from(text).toString('latin1')).toBe(
      Buffer.from(signed[0]!.receipt).toString('base64'),
    );
    expect(text.byteLength).toBe(text.buffer.byteLength);
  });

  it('jobs given in separate turns go in separate messages, and each is answered', async () => {
    const pool = await startPool(1);
    const before = pool.messageCounts();
    const now = new Date();
    const first = pool.open(sealed[0]!.body, now);
    await new Promise((resolve) => setImmediate(resolve));
    const second = pool.open(sealed[1]!.body, now);
    expectOpened(await Promise.allSettled([first]).then((r) => r[0]!), sealed[0]!);
    expectOpened(await Promise.allSettled([second]).then((r) => r[0]!), sealed[1]!);
    expect(pool.messageCounts().sent - before.sent).toBe(2);
  });
});
