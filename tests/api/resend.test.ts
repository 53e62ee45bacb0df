import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ApiClientError,
  DEFAULT_BACKOFF,
  REFUSALS,
  StationClient,
  errorBody,
  resendDelayMs,
  withResend,
  type ResendPolicy,
} from '../../api/index.ts';

/**
 * A real HTTP server on port 0 that answers POST /api/v1/reports by a script, one step per
 * request: cut the connection before answering, refuse with a code, or accept. It records the
 * bytes of every request it received.
 */
type Step = 'cut' | 'SERVER_BUSY' | 'STORAGE_FAILED' | 'REVISION_CONFLICT' | 'accept';

async function scriptedServer(
  steps: Step[],
): Promise<{ url: string; bodies: Buffer[]; server: Server }> {
  const bodies: Buffer[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks));
      const step = steps.shift() ?? 'accept';
      if (step === 'cut') {
        req.socket.destroy();
        return;
      }
      if (step === 'accept') {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            status: 'ACCEPTED',
            sequence: 7,
            receipt: Buffer.from('a.b.c').toString('base64'),
            receiptCode: 'ABCD-EFGH',
            revision: 1,
          }),
        );
        return;
      }
      const refusal = REFUSALS[step];
      res.writeHead(refusal.status, { 'content-type': 'application/json' });
      const details = step === 'SERVER_BUSY' ? { retryAfterSeconds: 3 } : {};
      res.end(JSON.stringify(errorBody(step, refusal, 'req-1', details)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, bodies, server };
}

function policy(waits: number[], maxAttempts = 5): ResendPolicy {
  return {
    maxAttempts,
    backoff: DEFAULT_BACKOFF,
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
    },
  };
}

const ENVELOPE = JSON.stringify({ format: 'wahlkoffer.meldung/1', jwe: 'x'.repeat(300) });

describe('sending a report again after no answer or a 5xx (api withResend)', () => {
  let server: Server | undefined;
  let client: StationClient | undefined;
  afterEach(async () => {
    await client?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('sends the same bytes again after a cut connection and a 503, waiting by the back-off', async () => {
    const s = await scriptedServer(['cut', 'SERVER_BUSY', 'accept']);
    server = s.server;
    client = new StationClient({ serverUrl: s.url });
    const waits: number[] = [];
    const answer = await withResend(() => client!.submitReport('t', ENVELOPE), policy(waits));
    expect(answer).toMatchObject({ status: 'ACCEPTED', sequence: 7, repeat: false });
    expect(s.bodies).toHaveLength(3);
    for (const body of s.bodies) expect(body.toString('utf8')).toBe(ENVELOPE);
    // attempt 1 failed: 1–2 s (here 1.5 s); attempt 2 was SERVER_BUSY asking for 3 s
    expect(waits).toEqual([1500, 3000]);
  });

  it('never sends again after a coded refusal (4xx): the same bytes would get the same answer', async () => {
    const s = await scriptedServer(['REVISION_CONFLICT']);
    server = s.server;
    client = new StationClient({ serverUrl: s.url });
    const waits: number[] = [];
    const error = await withResend(() => client!.submitReport('t', ENVELOPE), policy(waits)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiClientError);
    expect((error as ApiClientError).code).toBe('REVISION_CONFLICT');
    expect(s.bodies).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('gives up after maxAttempts and throws the last failure', async () => {
    const s = await scriptedServer(['STORAGE_FAILED', 'cut', 'STORAGE_FAILED']);
    server = s.server;
    client = new StationClient({ serverUrl: s.url });
    const waits: number[] = [];
    const error = await withResend(
      () => client!.submitReport('t', ENVELOPE),
      policy(waits, 3),
    ).catch((e: unknown) => e);
    expect((error as ApiClientError).code).toBe('STORAGE_FAILED');
    expect((error as ApiClientError).retryable).toBe(true);
    expect(s.bodies).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });
});

describe('the wait before sending again', () => {
  const busy = (seconds: number) =>
    new ApiClientError('SERVER_BUSY', { status: 503, details: { retryAfterSeconds: seconds } });

  it('is the back-off when the server did not say, and the server’s Retry-After when longer', () => {
    const none = new ApiClientError('NETWORK_FAILED');
    expect(resendDelayMs({ backoff: DEFAULT_BACKOFF }, none, 3, 0)).toBe(4000);
    expect(resendDelayMs({ backoff: DEFAULT_BACKOFF }, busy(10), 1, 0)).toBe(10_000);
    expect(resendDelayMs({ backoff: DEFAULT_BACKOFF }, busy(1), 3, 0)).toBe(4000);
  });

  it('never exceeds the back-off’s cap, whatever the server asks', () => {
    expect(resendDelayMs({ backoff: DEFAULT_BACKOFF }, busy(3600), 1, 0)).toBe(
      DEFAULT_BACKOFF.maxMs,
    );
  });
});
