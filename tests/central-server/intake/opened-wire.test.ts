import { createHash } from 'node:crypto';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import { openedFromWire, openedToWire } from '../../../central-server/intake/opened-wire.ts';
import type { OpenedReport } from '../../../central-server/intake/types.ts';
import { openMeldung, sealMeldung } from '../../../pki/index.ts';
import type { Schnellmeldung } from '../../../election/index.ts';
import { createTestPki, tallyFor, type TestPki } from '../../pki/fixtures.ts';

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki(new Date('2026-03-08T18:30:00Z'));
});

/** Seals and opens a report as the verification worker does (pki openMeldung + the hash). */
async function opened(tally: Schnellmeldung): Promise<OpenedReport> {
  const envelope = await sealMeldung(tally, {
    stationKey: pki.station.key,
    stationCertificate: pki.station.certificate,
    chain: [pki.issuing.certificate],
    recipientCertificate: pki.recipient,
    now: pki.now,
  });
  const result = await openMeldung(envelope, {
    decryptionKey: pki.decryptionKey,
    trust: pki.trust,
    crl: pki.crl,
    now: pki.now,
  });
  const signedDataHash = createHash('sha256').update(result.signedData).digest('hex');
  return { ...result, signedDataHash };
}

/** What the main thread gets: the reply through a real message port, its buffer transferred. */
function acrossThreads(report: OpenedReport): OpenedReport {
  const { port1, port2 } = new MessageChannel();
  const { wire, transfer } = openedToWire(report);
  port1.postMessage(wire, transfer);
  const received = receiveMessageOnPort(port2);
  port1.close();
  if (received === undefined) throw new Error('nothing arrived');
  return openedFromWire(received.message as typeof wire);
}

const correction: Schnellmeldung = {
  ...tallyFor('p-1'),
  revision: 2,
  correctionReason: 'Stapel D1 neu gezählt',
  acknowledgements: [{ code: 'W.201', reason: 'Wahlbeteiligung stimmt, geprüft' }],
  enteredBy: [
    { role: 'WAHLVORSTEHER', initials: 'AB', name: 'Anna Berg' },
    { role: 'SCHRIFTFUEHRER', initials: 'CD' },
  ],
};

describe('an opened report crossing from a verification worker to the main thread', () => {
  it.each([
    ['a first report', tallyFor('p-1')],
    ['a correction with a reason, an acknowledged warning and a poll worker name', correction],
  ])('arrives as the same report: %s', async (_, tally) => {
    const original = await opened(tally);
    const arrived = acrossThreads(original);
    expect(arrived).toStrictEqual({
      ...original,
      signedData: new Uint8Array(original.signedData),
      signedBytes: new Uint8Array(original.signedBytes),
    });
    // same key order too: the stored row holds JSON of the counts and acknowledgements
    expect(JSON.stringify(arrived.schnellmeldung)).toBe(JSON.stringify(original.schnellmeldung));
  });

  it('carries the schema-checked Schnellmeldung, not a second reading of the signed bytes', async () => {
    const original = await opened(correction);
    const arrived = acrossThreads(original);
    // the signed bytes are canonical JSON (keys sorted); the checked object, which the stored
    // row's JSON columns and everything after the intake read, keeps the schema's order
    expect(Object.keys(arrived.schnellmeldung.enteredBy[0])).toEqual(['role', 'initials', 'name']);
    expect(Buffer.from(arrived.signedBytes).toString('utf8')).toContain(
      '{"initials":"AB","name":"Anna Berg","role":"WAHLVORSTEHER"}',
    );
  });

  it('names the SHA-256 of exactly the SignedData it carries', async () => {
    const arrived = acrossThreads(await opened(tallyFor('p-1')));
    expect(arrived.signedDataHash).toBe(
      createHash('sha256').update(arrived.signedData).digest('hex'),
    );
  });
});
