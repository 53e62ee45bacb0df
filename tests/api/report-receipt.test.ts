import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  StationClient,
  checkReportReceipt,
  sentReport,
  type ReportAnswer,
  type SessionRequest,
} from '../../api/index.ts';
import type { RunningServer } from '../../central-server/index.ts';
import { createTrust, signSessionChallenge, type Trust } from '../../pki/index.ts';
import {
  createOffice,
  startTestServer,
  totpAt,
  urneReport,
  type Kit,
  type Office,
} from '../central-server/fixture.ts';

async function sessionRequest(client: StationClient, kit: Kit): Promise<SessionRequest> {
  const { challenge } = await client.challenge();
  const signature = signSessionChallenge(Buffer.from(challenge, 'utf8'), kit.key);
  return {
    certificateChain: kit.chain.map((c) => c.toString('base64')),
    challenge,
    signature: Buffer.from(signature).toString('base64'),
    totp: totpAt(kit, new Date()),
  };
}

describe('a client checks the receipt of the report it sent (api checkReportReceipt, real server)', () => {
  let office: Office;
  let server: RunningServer;
  let client: StationClient;
  let trust: Trust;
  const tally = urneReport('P1', [400, 300, 200]);
  let firstEnvelope: Uint8Array;
  let first: ReportAnswer;
  let resealed: Uint8Array;
  let repeat: ReportAnswer;

  const check = (answer: ReportAnswer, envelope: Uint8Array, opts: { repeat?: boolean } = {}) =>
    checkReportReceipt(Buffer.from(answer.receipt, 'base64'), sentReport(tally, envelope), {
      trust,
      now: new Date(),
      repeat: opts.repeat ?? answer.repeat,
      answer,
    });

  beforeAll(async () => {
    office = await createOffice();
    server = await startTestServer(office);
    client = new StationClient({ serverUrl: server.url });
    trust = createTrust(readFileSync(join(office.pkiDir, 'root-ca.pem'), 'utf8'));
    const kit = office.kits.get('P1')!;
    const { token } = await client.openSession(await sessionRequest(client, kit));
    firstEnvelope = await kit.seal(tally);
    first = await client.submitReport(token, firstEnvelope);
    // the same tally sealed again (a kit that lost its outbox, a simulator run again): sealing
    // is randomised, so these are other bytes
    resealed = await kit.seal(tally);
    repeat = await client.submitReport(token, resealed);
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await server?.close();
    office?.cleanup();
  });

  it('accepts the receipt of a new report: same content, same envelope', () => {
    const result = check(first, firstEnvelope);
    expect(result).toMatchObject({ ok: true, earlierEnvelope: false });
  });

  describe('when the same content was sealed again and the server answers with the original receipt', () => {
    it('is a repeat (HTTP 200) carrying the first envelope’s hash and sequence', () => {
      expect(Buffer.from(resealed).equals(Buffer.from(firstEnvelope))).toBe(false);
      expect(repeat).toMatchObject({ repeat: true, sequence: first.sequence });
      expect(repeat.receiptCode).toBe(first.receiptCode);
    });

    it('recognises it as the genuine receipt for this content', () => {
      const result = check(repeat, resealed);
      expect(result.ok).toBe(true);
      expect(result.ok && result.earlierEnvelope).toBe(true);
      expect(result.ok && result.receipt.contentHash).toBe(sentReport(tally, resealed).contentHash);
    });

    it('refuses it when the answer did not say "repeat": a new report must carry its own envelope', () => {
      expect(check(repeat, resealed, { repeat: false })).toEqual({
        ok: false,
        problems: ['envelope hash'],
      });
    });
  });

  it('refuses a receipt for other content, even as a repeat', () => {
    const other = urneReport('P1', [401, 299, 200]);
    const result = checkReportReceipt(
      Buffer.from(repeat.receipt, 'base64'),
      sentReport(other, resealed),
      { trust, now: new Date(), repeat: true, answer: repeat },
    );
    expect(result).toEqual({ ok: false, problems: ['content hash'] });
  });

  it('refuses a receipt whose answer names another sequence or code', () => {
    const result = check(
      { ...first, sequence: first.sequence + 1, receiptCode: 'AAAA-AAAA' },
      firstEnvelope,
    );
    expect(result).toEqual({ ok: false, problems: ['sequence', 'receipt code'] });
  });

  it('refuses a receipt that does not chain to the pinned root, with the pki code', async () => {
    const foreign = await createOffice();
    try {
      const foreignTrust = createTrust(readFileSync(join(foreign.pkiDir, 'root-ca.pem'), 'utf8'));
      const result = checkReportReceipt(
        Buffer.from(first.receipt, 'base64'),
        sentReport(tally, firstEnvelope),
        { trust: foreignTrust, now: new Date(), repeat: false },
      );
      expect(result.ok).toBe(false);
      expect(!result.ok && result.problems).toEqual(['signature or chain']);
      expect(!result.ok && result.cause?.code).toMatch(/^CERT_/);
    } finally {
      foreign.cleanup();
    }
  });
});
