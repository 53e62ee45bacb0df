import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { noteKey } from '../../../transparency/index.ts';
import fc from 'fast-check';
import { retryDelayMs, DEFAULT_BACKOFF } from '../../../api/index.ts';
import { settle } from '../../../koffer-app/main/outbox/settle.ts';
import type { OutboxRecord } from '../../../koffer-app/main/outbox/record.ts';
import { createTrust, EMPTY_CRL } from '../../../pki/index.ts';
import { urneReport } from '../../central-server/fixture.ts';
import { createKitOffice } from '../office.ts';

describe('the retry back-off', () => {
  it('doubles from 2 s to the 2 min cap, half fixed and half jitter', () => {
    const at = (attempts: number, r: number) => retryDelayMs(DEFAULT_BACKOFF, attempts, r);
    expect([1, 2, 3, 4].map((a) => at(a, 0))).toEqual([1000, 2000, 4000, 8000]);
    expect(at(1, 0.999999)).toBe(2000);
    expect(at(40, 0)).toBe(60_000);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (a, r) => {
          const d = retryDelayMs(DEFAULT_BACKOFF, a, r);
          return d >= 1000 && d <= DEFAULT_BACKOFF.maxMs;
        },
      ),
    );
  });
});

describe('settling one delivery attempt (pure)', async () => {
  const office = await createKitOffice({ name: 'settle' });
  const trust = createTrust(office.rootPem);
  office.cleanup();
  const now = new Date('2026-12-01T18:30:00Z');
  const record: OutboxRecord = {
    format: 'wahlkoffer.outbox/1',
    id: 'outbox-OB-r1',
    tally: urneReport('P1', [1, 2, 3]),
    envelope: '{}',
    envelopeHash: '0'.repeat(64),
    contentHash: '1'.repeat(64),
    sealedAt: now.toISOString(),
    state: 'WAITING',
    attempts: 2,
    nextAttemptAt: now.toISOString(),
    lastError: null,
    receipt: null,
  };
  const checkpointKey = noteKey(
    'wahl.example/wahlkoffer/settle',
    generateKeyPairSync('ed25519').publicKey,
  );
  const ctx = { trust, crl: EMPTY_CRL, checkpointKey, now, backoff: DEFAULT_BACKOFF, random: 0 };

  it('no answer: waits (attempt 3 → 4 s) and says the network is down', () => {
    const next = settle(record, { kind: 'UNAVAILABLE', detail: 'ECONNRESET' }, ctx);
    expect(next).toMatchObject({
      state: 'WAITING',
      attempts: 3,
      lastError: { code: 'NETWORK_UNAVAILABLE' },
    });
    expect(Date.parse(next.nextAttemptAt!) - now.getTime()).toBe(4000);
  });

  it('a coded refusal ends the record with the server’s code and messages', () => {
    const messages = { de: 'Abgelehnt.', en: 'Refused.' };
    const next = settle(record, { kind: 'REFUSED', code: 'REVISION_CONFLICT', messages }, ctx);
    expect(next).toMatchObject({
      state: 'REFUSED',
      nextAttemptAt: null,
      lastError: { code: 'REVISION_CONFLICT', message: 'Abgelehnt.' },
    });
  });

  it('no session: waits for a new TOTP code', () => {
    expect(settle(record, { kind: 'SESSION_REQUIRED' }, ctx).lastError?.code).toBe(
      'SESSION_REQUIRED',
    );
  });

  it('a receipt that is not one: keeps waiting (RECEIPT_REJECTED)', () => {
    const next = settle(record, { kind: 'ACCEPTED', receipt: 'a.b.c', repeat: false }, ctx);
    expect(next).toMatchObject({
      state: 'WAITING',
      receipt: null,
      lastError: { code: 'RECEIPT_REJECTED' },
    });
  });
});
