import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VerifyPool } from '../../../central-server/intake/verify-pool.ts';
import { createLogger } from '../../../central-server/logger.ts';
import { PkiError } from '../../../pki/index.ts';
import { ELECTION_ID, createOffice, urneReport, type Office } from '../fixture.ts';

let office: Office;
let pool: VerifyPool;
const bodies: Uint8Array[] = [];

beforeAll(async () => {
  office = await createOffice();
  for (const revision of [1, 2, 3]) {
    const kit = office.kits.get('P1')!;
    bodies.push(await kit.seal(urneReport('P1', [100 + revision, 20, 30], { revision })));
  }
  const paths = { pkiDir: office.pkiDir, electionId: ELECTION_ID, startedAt: Date.now() };
  pool = await VerifyPool.start(1, paths, createLogger('silent'));
  await preloaded(pool);
});
afterAll(async () => {
  await pool?.close();
  office?.cleanup();
});

async function preloaded(p: VerifyPool): Promise<void> {
  for (let i = 0; i < 400 && !p.preload().done; i++)
    await new Promise((resolve) => setTimeout(resolve, 25));
  expect(p.preload().done).toBe(true);
}

/**
 * Stops the pool's only thread of `role` from outside, as an uncaught error or its memory limit
 * would.
 */
function stopItsWorker(p: VerifyPool, role: 'verify' | 'sign' = 'verify'): Promise<number> {
  const slots = (p as unknown as { slots: { role: string; worker: Worker }[] }).slots;
  return slots.find((s) => s.role === role)!.worker.terminate();
}

function receiptFields(sequence: number) {
  return {
    electionId: ELECTION_ID,
    precinctId: 'P1',
    contestId: 'OB',
    revision: 1,
    sequence,
    reportHash: 'ab'.repeat(32),
    envelopeHash: 'cd'.repeat(32),
    receivedAt: new Date(),
  };
}

describe('a verification worker that stops during the night', () => {
  it('fails only the jobs it held, and a new worker opens the next reports', async () => {
    const first = await pool.open(bodies[0]!, new Date());
    expect(first.schnellmeldung.revision).toBe(1);

    const lost = pool.open(bodies[1]!, new Date());
    await stopItsWorker(pool);
    // not a refusal of the report (no PkiError code): the kit is told INTERNAL_ERROR and sends again
    const error = await lost.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PkiError);
    expect(String(error)).toMatch(/verification worker stopped/);

    // before the fix, every later job went to the stopped worker and was never answered
    const again = await pool.open(bodies[1]!, new Date());
    expect(again.schnellmeldung.revision).toBe(2);
    const next = await pool.open(bodies[2]!, new Date());
    expect(next.schnellmeldung.revision).toBe(3);
    await preloaded(pool);
  });

  it('keeps refusing forged envelopes with their codes after the replacement', async () => {
    const refused = await pool
      .open(new TextEncoder().encode('{"format":"x"}'), new Date())
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PkiError);
  });

  it('a stopped receipt-signing thread fails the receipts it held, and a new one signs the next', async () => {
    const lost = pool.signReceipts([receiptFields(1)]);
    await stopItsWorker(pool, 'sign');
    // the batch that waited for them stores nothing; its kits are told INTERNAL_ERROR and send again
    const error = await lost.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PkiError);
    expect(String(error)).toMatch(/receipt-signing worker stopped/);

    const [signed] = await pool.signReceipts([receiptFields(2)]);
    expect(signed!.receiptCode).toMatch(/\S/);
    // the envelopes were never held up
    const opened = await pool.open(bodies[0]!, new Date());
    expect(opened.schnellmeldung.revision).toBe(1);
  });
});
