import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../central-server/index.ts';
import { HealthSchema } from '../../../api/index.ts';
import { createTrust } from '../../../pki/chain.ts';
import { verifyReceipt } from '../../../pki/receipt.ts';
import {
  createOffice,
  get,
  openSession,
  startTestServer,
  submit,
  urneReport,
  type Office,
} from '../fixture.ts';

let office: Office;
let server: RunningServer;
beforeAll(async () => {
  office = await createOffice();
  server = await startTestServer(office, join(office.dir, 'pool.db'), undefined, {
    verifyWorkers: 2,
  });
});
afterAll(async () => {
  await server.close();
  office.cleanup();
});

describe('verification in worker threads (--verify-workers)', () => {
  it('accepts genuine reports and keeps the pki refusal codes', async () => {
    const kit = office.kits.get('P1')!;
    const { body } = await openSession(server, kit);
    const token = body.token as string;
    const accepted = await submit(server, token, await kit.seal(urneReport('P1', [300, 250, 140])));
    expect(accepted.status).toBe(201);
    // the receipt was signed in a worker: it verifies against the office's root like any other
    const trust = createTrust(readFileSync(join(office.pkiDir, 'root-ca.pem'), 'utf8'));
    const receipt = verifyReceipt(
      Buffer.from(accepted.body.receipt as string, 'base64'),
      trust,
      new Date(),
    );
    expect(receipt).toMatchObject({ precinctId: 'P1', revision: 1 });
    expect(receipt.receiptCode).toBe(accepted.body.receiptCode);
    expect(receipt.log?.index).toBeGreaterThanOrEqual(0);
    const garbage = await submit(
      server,
      token,
      '{"format":"wahlkoffer.meldung/1","jwe":"a.b.c.d.e"}',
    );
    expect(garbage.status).toBe(400);
    expect(garbage.body.error?.code).toMatch(/^ENVELOPE_|DECRYPTION_FAILED|WRONG_RECIPIENT/);
  });
});

describe('the workers\' certificate preload after a start', () => {
  it('/healthz counts it up to every current station certificate and then says done', async () => {
    const seen: { read: number; of: number; done: boolean }[] = [];
    for (let i = 0; i < 200; i++) {
      const { body } = await get(`${server.url}/healthz`);
      const preload = HealthSchema.parse(body).preload;
      expect(preload).toBeDefined();
      seen.push(preload!);
      if (preload!.done) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const last = seen.at(-1)!;
    expect(last).toEqual({ read: office.kits.size, of: office.kits.size, done: true });
    expect(seen.every((p) => p.read <= p.of || p.of === 0)).toBe(true);
  });
});
