import { request, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StationClient } from '../../../../api/index.ts';
import type { RunningServer } from '../../../../central-server/index.ts';
import { signSessionChallenge } from '../../../../pki/session.ts';
import { join } from 'node:path';
import { parseServerConfig, startServer } from '../../../../central-server/index.ts';
import { createLogger } from '../../../../central-server/logger.ts';
import { createOffice, startTestServer, totpAt, urneReport, type Office } from '../../fixture.ts';
import { OfficeClient, totpCode } from '../office-client.ts';

type ServerEvent = { id: string; event: string; data: Record<string, unknown> };

/** An open /office/events stream: its events as they arrive, parsed (text/event-stream). */
class EventStream {
  readonly events: ServerEvent[] = [];
  private buffer = '';
  private waiters: (() => void)[] = [];

  private constructor(readonly response: IncomingMessage) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\n\n')) !== -1) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const fields = new Map<string, string>();
        for (const line of block.split('\n')) {
          const at = line.indexOf(': ');
          if (at > 0) fields.set(line.slice(0, at), line.slice(at + 2));
        }
        if (fields.has('data')) {
          this.events.push({
            id: fields.get('id') ?? '',
            event: fields.get('event') ?? 'message',
            data: JSON.parse(fields.get('data')!) as Record<string, unknown>,
          });
          for (const wake of this.waiters.splice(0)) wake();
        }
      }
    });
  }

  static open(url: string, headers: Record<string, string>): Promise<EventStream> {
    return new Promise((resolve, reject) => {
      request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) =>
        resolve(new EventStream(res)),
      )
        .on('error', reject)
        .end();
    });
  }

  /** The first event (already received or still to come) that `found` accepts. */
  async next(found: (e: ServerEvent) => boolean, timeoutMs = 20_000): Promise<ServerEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.find(found);
      if (hit !== undefined) return hit;
      if (Date.now() > deadline) throw new Error('no such event on the stream');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  close(): void {
    this.response.destroy();
  }
}

let office: Office;
let server: RunningServer;
let browser: OfficeClient;
let station: StationClient;
const streams: EventStream[] = [];

beforeAll(async () => {
  office = await createOffice();
  server = await startTestServer(office);
  const enrolment = await server.officeUsers.add({
    name: 'clara',
    role: 'auditor',
    password: 'korrekt pferd batterie',
    actor: { name: 'setup', via: 'cli' },
  });
  browser = new OfficeClient(server, '127.0.0.20');
  const login = await browser.login(
    'clara',
    'korrekt pferd batterie',
    totpCode(enrolment.totpSecret),
  );
  expect(login.status).toBe(303);
  station = new StationClient({ serverUrl: server.url });
});
afterAll(async () => {
  for (const s of streams) s.close();
  await station.close();
  await browser.close();
  await server.close();
  office.cleanup();
});

/** A station's kit sends its report through the real client: challenge, session, report. */
async function stationSends(precinctId: string, d: [number, number, number]) {
  const kit = office.kits.get(precinctId)!;
  const { challenge } = await station.challenge();
  const session = await station.openSession({
    certificateChain: kit.chain.map((c) => c.toString('base64')),
    challenge,
    signature: Buffer.from(signSessionChallenge(Buffer.from(challenge), kit.key)).toString(
      'base64',
    ),
    totp: totpAt(kit, new Date()),
  });
  return station.submitReport(session.token, await kit.seal(urneReport(precinctId, d)));
}

async function open(query: string, headers: Record<string, string> = {}): Promise<EventStream> {
  const stream = await EventStream.open(`${server.url}/office/events?${query}`, {
    cookie: browser.cookieHeader(),
    ...headers,
  });
  streams.push(stream);
  return stream;
}

const hasDistrict = (id: string, state: string) => (e: ServerEvent) =>
  e.event === 'delta' &&
  (e.data['districts'] as { id: string; state: string }[]).some(
    (d) => d.id === id && d.state === state,
  );

describe('the live event stream (/office/events)', () => {
  it('is refused without a log-in', async () => {
    const stream = await EventStream.open(`${server.url}/office/events`, {});
    streams.push(stream);
    // a GET without a session is sent to the log-in page, no stream is opened
    expect(stream.response.statusCode).toBeGreaterThanOrEqual(300);
    expect(stream.response.headers.location).toMatch(/^\/office\/login/);
  });

  it("sends a report a station sent as a delta: the district, its areas' counts", async () => {
    const page = await browser.get('/office/');
    expect(page.status).toBe(200);
    const since = /data-events="[^"]*since=([^"&]+)"/.exec(page.text)?.[1];
    expect(since).toBeDefined();
    const stream = await open(`area=M&since=${since!}`);
    expect(stream.response.statusCode).toBe(200);
    expect(stream.response.headers['content-type']).toMatch(/^text\/event-stream/);
    const answer = await stationSends('P1', [300, 250, 140]);
    expect(answer.repeat).toBe(false);
    const delta = await stream.next(hasDistrict('P1', 'received'));
    expect(delta.data['districts']).toContainEqual({
      id: 'P1',
      state: 'received',
      label: 'eingegangen',
      badge: 'ok',
    });
    const counts = delta.data['counts'] as Record<string, { reported: number; total: number }>;
    expect(counts['M']).toMatchObject({ reported: 1, total: 4 });
    expect(counts['SB1']).toMatchObject({ reported: 1, total: 2 });
    expect(counts['SB2']).toBeUndefined(); // unchanged areas are not sent
    expect(delta.id).toMatch(/^[0-9a-z-]+\.[0-9]+$/);
  });

  it('cuts the delta to the area watched: a district elsewhere is not sent', async () => {
    const stream = await open(`area=SB1`);
    await stream.next((e) => e.event === 'resync'); // no known position: start from the counts
    const other = await open('area=M');
    await other.next((e) => e.event === 'resync');
    await stationSends('P2', [410, 380, 190]);
    await other.next(hasDistrict('P2', 'received'));
    server.liveFeed.publish();
    expect(stream.events.some(hasDistrict('P2', 'received'))).toBe(false);
  });

  it('resumes after a reconnect from Last-Event-ID with what was missed', async () => {
    const first = await open('area=M');
    const resync = await first.next((e) => e.event === 'resync');
    first.close();
    await stationSends('P3', [220, 260, 90]);
    await new Promise((resolve) => setTimeout(resolve, 700)); // published meanwhile
    const again = await open('area=M', { 'last-event-id': resync.id });
    const missed = await again.next(hasDistrict('P3', 'received'));
    expect(again.events.indexOf(missed)).toBeLessThanOrEqual(1);
    expect(again.events.some((e) => e.event === 'resync')).toBe(false);
  });

  it('answers an id it no longer holds with a resync carrying the counts', async () => {
    const stream = await open('area=M', { 'last-event-id': 'zzzz.1' });
    const resync = await stream.next((e) => e.event === 'resync');
    const counts = resync.data['counts'] as Record<string, { reported: number }>;
    expect(counts['M']?.reported).toBe(3);
  });

  it('refuses a malformed Last-Event-ID or filter with a code', async () => {
    const bad = await open('area=M', { 'last-event-id': '<script>' });
    expect(bad.response.statusCode).toBe(400);
    const unknown = await open('area=NOWHERE');
    expect(unknown.response.statusCode).toBe(404);
  });
});

describe('the number of event streams', () => {
  it('is capped: one more than allowed is answered 503 SERVER_BUSY with Retry-After', async () => {
    const config = parseServerConfig({
      pkiDir: office.pkiDir,
      electionFile: office.electionFile,
      db: join(office.dir, 'capped.db'),
      port: 0,
      plainHttp: true,
      logLevel: 'silent',
    });
    const capped = await startServer(config, {
      logger: createLogger('silent'),
      liveStreams: { maxClients: 2 },
    });
    const clerk = new OfficeClient(capped, '127.0.0.21');
    try {
      const { totpSecret } = await capped.officeUsers.add({
        name: 'carl',
        role: 'auditor',
        password: 'korrekt pferd batterie',
        actor: { name: 'setup', via: 'cli' },
      });
      const login = await clerk.login('carl', 'korrekt pferd batterie', totpCode(totpSecret));
      expect(login.status).toBe(303);
      const headers = { cookie: clerk.cookieHeader() };
      const url = `${capped.url}/office/events?area=M`;
      const open = [await EventStream.open(url, headers), await EventStream.open(url, headers)];
      expect(open.map((s) => s.response.statusCode)).toEqual([200, 200]);
      const refused = await fetch(url, { headers: { ...headers, accept: 'application/json' } });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('30');
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
        'SERVER_BUSY',
      );
      // a closed stream frees its place
      open[0]!.close();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const again = await EventStream.open(url, headers);
      expect(again.response.statusCode).toBe(200);
      for (const s of [...open, again]) s.close();
    } finally {
      await clerk.close();
      await capped.close();
    }
  });
});
