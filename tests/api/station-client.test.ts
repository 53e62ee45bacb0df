import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiClientError,
  StationClient,
  type HttpTransport,
  type SessionRequest,
} from '../../api/index.ts';
import type { RunningServer } from '../../central-server/index.ts';
import { tamperEnvelope } from '../../cli/simulate/variants.ts';
import { signSessionChallenge } from '../../pki/index.ts';
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
  return {
    certificateChain: kit.chain.map((c) => c.toString('base64')),
    challenge,
    signature: Buffer.from(signSessionChallenge(Buffer.from(challenge, 'utf8'), kit.key)).toString(
      'base64',
    ),
    totp: totpAt(kit, new Date()),
  };
}

describe('the station client against a real server', () => {
  let office: Office;
  let server: RunningServer;
  let client: StationClient;
  let token: string;

  beforeAll(async () => {
    office = await createOffice();
    server = await startTestServer(office);
    client = new StationClient({ serverUrl: server.url });
    token = (await client.openSession(await sessionRequest(client, office.kits.get('P1')!))).token;
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await server?.close();
    office?.cleanup();
  });

  describe('when a kit opens its session and sends its report', () => {
    it('gets a token for its own precinct', async () => {
      const kit = office.kits.get('P2')!;
      const session = await client.openSession(await sessionRequest(client, kit));
      expect(session.precinctId).toBe('P2');
    });

    it('gets a receipt, and the original receipt marked as a repeat for the same bytes', async () => {
      const envelope = await office.kits.get('P1')!.seal(urneReport('P1', [400, 300, 200]));
      const first = await client.submitReport(token, envelope);
      expect(first).toMatchObject({ status: 'ACCEPTED', revision: 1, repeat: false });
      const again = await client.submitReport(token, envelope);
      expect(again).toMatchObject({
        repeat: true,
        sequence: first.sequence,
        receiptCode: first.receiptCode,
      });
      const status = await client.precinctStatus(token, 'P1');
      expect(status.contests[0]?.revisions.map((r) => r.receiptCode)).toEqual([first.receiptCode]);
    });

    it('reads the public results and the health check', async () => {
      expect((await client.results()).electionId).toBe('test-ob');
      expect((await client.health()).status).toBe('ok');
    });
  });

  describe('when the server refuses', () => {
    it('throws the coded refusal with its status, German and English message and findings', async () => {
      const kit = office.kits.get('P1')!;
      // D is not the sum of the candidates' votes: a plausibility error
      const base = urneReport('P1', [400, 300, 200], {
        revision: 2,
        correctionReason: 'Zählfehler',
      });
      const wrong = { ...base, counts: { ...base.counts, D: base.counts.D! + 1 } };
      const error = await client
        .submitReport(token, await kit.seal(wrong))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiClientError);
      const refusal = error as ApiClientError;
      expect(refusal.status).toBe(422);
      expect(refusal.refused).toBe(true);
      expect(refusal.retryable).toBe(false);
      expect(refusal.messages.de).not.toBe(refusal.messages.en);
      expect(refusal.details.findings?.length).toBeGreaterThan(0);
    });

    it('throws TOKEN_INVALID for a forged token', async () => {
      await expect(client.precinctStatus('forged', 'P1')).rejects.toMatchObject({
        code: 'TOKEN_INVALID',
        status: 401,
      });
    });

    it('throws PRECINCT_FORBIDDEN for another precinct’s status', async () => {
      await expect(client.precinctStatus(token, 'P2')).rejects.toMatchObject({
        code: 'PRECINCT_FORBIDDEN',
      });
    });

    it('throws the pki refusal code for a tampered envelope', async () => {
      const envelope = await office.kits.get('P1')!.seal(urneReport('P1', [1, 2, 3]));
      const tampered = tamperEnvelope(Buffer.from(envelope).toString('utf8'));
      await expect(client.submitReport(token, tampered)).rejects.toMatchObject({
        code: 'DECRYPTION_FAILED',
        status: 400,
      });
    });
  });

  describe('when the answer is not what the contract says', () => {
    const fixed =
      (status: number, body: string): HttpTransport =>
      async () => ({ status, body });

    it('is REPLY_MALFORMED for a success body outside the schema', async () => {
      const odd = new StationClient({ serverUrl: server.url, transport: fixed(201, '{"x":1}') });
      await expect(odd.submitReport(token, '{}')).rejects.toMatchObject({
        code: 'REPLY_MALFORMED',
      });
    });

    it('is REPLY_MALFORMED, and retryable, for a proxy’s 502 page', async () => {
      const odd = new StationClient({ serverUrl: server.url, transport: fixed(502, '<html>') });
      const error = (await odd.health().catch((e: unknown) => e)) as ApiClientError;
      expect(error.code).toBe('REPLY_MALFORMED');
      expect(error.retryable).toBe(true);
    });

    it('is UNKNOWN_REFUSAL, keeping the server’s code, for a code this client does not know', async () => {
      const body = JSON.stringify({
        error: { code: 'NEW_CODE', message: 'neu', messageEn: 'new', requestId: 'r1' },
      });
      const odd = new StationClient({ serverUrl: server.url, transport: fixed(409, body) });
      await expect(odd.submitReport(token, '{}')).rejects.toMatchObject({
        code: 'UNKNOWN_REFUSAL',
        details: { serverCode: 'NEW_CODE' },
        messages: { de: 'neu', en: 'new' },
      });
    });

    it('is NETWORK_FAILED, and retryable, when nothing answers', async () => {
      const gone = new StationClient({ serverUrl: 'http://127.0.0.1:1' });
      const error = (await gone.health().catch((e: unknown) => e)) as ApiClientError;
      expect(error.code).toBe('NETWORK_FAILED');
      expect(error.retryable).toBe(true);
      await gone.close();
    });
  });
});
