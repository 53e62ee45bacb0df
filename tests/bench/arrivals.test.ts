import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { arrivalTimes, fireArrivals, type ArrivalPhase } from '../../bench/intake/arrivals.ts';
import { toMarkdown } from '../../bench/intake/report.ts';
import { report, scenario } from './report-fixture.ts';

/** A stand-in for the server: answers every report ACCEPTED after `delayMs`, and notes the order. */
async function slowServer(delayMs: number) {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push(body);
      setTimeout(() => {
        res.writeHead(201, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ status: 'ACCEPTED', sequence: seen.length }));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

const sends = (n: number, key?: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => ({
    token: 't',
    envelope: `report ${i}`,
    ...(key === undefined ? {} : { key: key(i) }),
  }));

describe('the benchmark’s open-loop load (reports arriving at a rate)', () => {
  it('arrival times are the same for the same seed and average the asked rate', () => {
    const a = arrivalTimes(20_000, 500, 7);
    expect(Array.from(arrivalTimes(20_000, 500, 7))).toEqual(Array.from(a));
    expect(Array.from(arrivalTimes(100, 500, 8))).not.toEqual(Array.from(a.subarray(0, 100)));
    // 20,000 arrivals at 500/s: about 40 s; the mean gap within 3 % of 2 ms
    expect(a[a.length - 1]! / 20_000).toBeGreaterThan(2 * 0.97);
    expect(a[a.length - 1]! / 20_000).toBeLessThan(2 * 1.03);
    for (let i = 1; i < a.length; i += 1) expect(a[i]!).toBeGreaterThan(a[i - 1]!);
  });

  it('below what the server can take, latency is about the answer time', async () => {
    const server = await slowServer(5);
    close = server.close;
    const result = await fireArrivals(server.url, sends(100), {
      kits: 16,
      perSecond: 200,
      seed: 1,
    });
    expect(result.accepted).toBe(100);
    expect(result.other).toEqual({});
    expect(result.latencyMs.p50).toBeGreaterThanOrEqual(5);
    expect(result.latencyMs.p50).toBeLessThan(100);
  });

  it('counts latency from when a report was due: a server that falls behind shows it in full', async () => {
    // one connection and 20 ms per answer can take 50 reports/s; 400/s are offered
    const server = await slowServer(20);
    close = server.close;
    const result = await fireArrivals(server.url, sends(40), { kits: 1, perSecond: 400, seed: 1 });
    expect(result.accepted).toBe(40);
    // the last report was due after ~0.1 s and answered after ~0.8 s
    expect(result.latencyMs.max).toBeGreaterThan(500);
    expect(result.achievedPerSecond).toBeLessThan(60);
  });

  it("sends a station's revisions in order, even when both are due at once", async () => {
    const server = await slowServer(10);
    close = server.close;
    const all = sends(30, (i) => `station ${i % 3}`);
    await fireArrivals(server.url, all, { kits: 8, perSecond: 2000, seed: 3 });
    for (const station of [0, 1, 2]) {
      const order = server.seen.filter((b) => Number(b.split(' ')[1]) % 3 === station);
      const numbers = order.map((b) => Number(b.split(' ')[1]));
      expect(numbers).toEqual([...numbers].sort((x, y) => x - y));
    }
  });

  it('the report shows each phase against the target, and says when a phase was not all accepted', () => {
    const phase = (share: number, p99: number, accepted = 1000): ArrivalPhase => ({
      offeredPerSecond: 1000 * share,
      shareOfCapacity: share,
      kits: 256,
      reports: 1000,
      accepted,
      other:
        accepted === 1000 ? {} : ({ '503 SERVER_BUSY': 1000 - accepted } as Record<string, number>),
      seconds: 4,
      achievedPerSecond: 1000 * share,
      latencyMs: { p50: p99 / 3, p99, max: p99 * 2 },
    });
    const md = toMarkdown({
      ...report([]),
      scenarios: [{ ...scenario([]), arrivals: [phase(0.25, 40), phase(0.9, 700, 998)] }],
    });
    expect(md).toContain('| germany-btw2025 | 250 (25 %) | 1000 | 250 | 13.3 | 40.0 | 80 | yes |');
    expect(md).toContain(
      '| germany-btw2025 | 900 (90 %) | 1000 | 900 | 233.3 | 700.0 | 1400 | NO ({"503 SERVER_BUSY":2}) |',
    );
    expect(md).toContain('p99 ≤ 100 ms');
  });
});
