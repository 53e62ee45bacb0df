import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { indexElection } from '../../../election/index.ts';
import { createLogger } from '../../../central-server/logger.ts';
import { Publisher, type PublisherOptions } from '../../../central-server/publication/index.ts';
import { counted, generated } from './helpers.ts';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A publisher over a small election whose build starts are recorded: the manifest's clock is read
 * once per build, as it starts (`generatedAt`).
 */
async function publisherWith(
  timing: Pick<PublisherOptions, 'coalesceMs' | 'periodMs'>,
  signMs = 0,
): Promise<{
  publisher: Publisher;
  starts: number[];
  reports: ReturnType<typeof generated>['reports'];
}> {
  dir = mkdtempSync(join(tmpdir(), 'wahlkoffer-cadence-'));
  const { definition, reports } = generated('munich-kw2020', { every: 1000 });
  const starts: number[] = [];
  const publisher = await Publisher.open({
    index: indexElection(definition),
    publishDir: join(dir, 'public'),
    css: 'body{}',
    timeZone: 'Europe/Berlin',
    // a build that takes its time: signing holds the thread `signMs` (as a national build's
    // work does)
    sign: () => {
      const until = performance.now() + signMs;
      while (performance.now() < until);
      return Buffer.from('signature');
    },
    clock: () => {
      starts.push(performance.now());
      return new Date();
    },
    logger: createLogger('silent'),
    ...timing,
  });
  return { publisher, starts, reports };
}

function lastSequence(publishDir: string): number {
  const results = JSON.parse(readFileSync(join(publishDir, 'results.json'), 'utf8')) as {
    lastSequence: number;
  };
  return results.lastSequence;
}

describe('the build cadence', () => {
  it('under a steady stream of reports starts builds no closer than the period, and the last snapshot has them all', async () => {
    const periodMs = 250;
    const { publisher, starts, reports } = await publisherWith({ coalesceMs: 0, periodMs });
    try {
      await publisher.release();
      // a report every 10 ms for 1.5 s: without the period a small election's build (a few ms)
      // would start again right after the one before
      const stream = reports.slice(0, 150);
      for (const [i, report] of stream.entries()) {
        publisher.record([counted(report, i + 1)]);
        await sleep(10);
      }
      await publisher.flush();

      const gaps = starts.slice(1).map((at, i) => at - (starts[i] ?? at));
      expect(starts.length).toBeGreaterThanOrEqual(4);
      // to the millisecond: a timer that fires early (it keeps the loop's clock) is waited out
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(periodMs - 1);
      expect(lastSequence(join(dir, 'public'))).toBe(stream.length);
    } finally {
      await publisher.close();
    }
  });

  it('publishes a change after a quiet spell without waiting a whole period', async () => {
    const periodMs = 1000;
    const { publisher, starts, reports } = await publisherWith({ coalesceMs: 20, periodMs });
    try {
      await publisher.release();
      await sleep(periodMs + 100); // no build for longer than a period
      const recordedAt = performance.now();
      publisher.record([counted(reports[0]!, 1)]);
      await publisher.flush();

      expect(starts).toHaveLength(2);
      // it waits for the coalescing (20 ms), not for the period (1 s)
      expect(starts[1]! - recordedAt).toBeLessThan(periodMs / 2);
      expect(lastSequence(join(dir, 'public'))).toBe(1);
    } finally {
      await publisher.close();
    }
  });

  it('after a long build waits three times its duration from its start (counted up to a second), so the thread builds at most a third of the time', async () => {
    const { publisher, starts, reports } = await publisherWith(
      { coalesceMs: 0, periodMs: 50 },
      120,
    );
    const ends: number[] = [];
    const published = publisher as unknown as { finished: (built: unknown) => void };
    const finished = published.finished.bind(publisher);
    published.finished = (built) => {
      ends.push(performance.now());
      finished(built);
    };
    try {
      await publisher.release();
      ends.length = 0;
      starts.length = 0;
      // a report every 10 ms for 2 s; every build takes at least 120 ms
      for (const [i, report] of reports.slice(0, 200).entries()) {
        publisher.record([counted(report, i + 1)]);
        await sleep(10);
      }
      await publisher.flush();
      expect(starts.length).toBeGreaterThanOrEqual(3);
      for (let i = 1; i < starts.length; i++) {
        const took = ends[i - 1]! - starts[i - 1]!;
        // to the millisecond, as the period (the build's own end is a little after `finished`)
        expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(Math.min(3 * took, 1000) - 1);
      }
      expect(lastSequence(join(dir, 'public'))).toBe(200);
    } finally {
      await publisher.close();
    }
  });

  it("counts a build's duration only up to a second: a report waits at most about a second for the build that shows it", async () => {
    const { publisher, starts, reports } = await publisherWith(
      { coalesceMs: 0, periodMs: 50 },
      450,
    );
    try {
      await publisher.release();
      starts.length = 0;
      // reports for 2.5 s; every build takes at least 450 ms (three times: 1.35 s)
      for (const [i, report] of reports.slice(0, 50).entries()) {
        publisher.record([counted(report, i + 1)]);
        await sleep(50);
      }
      await publisher.flush();
      const gaps = starts.slice(1).map((at, i) => at - starts[i]!);
      expect(gaps.length).toBeGreaterThanOrEqual(2);
      for (const gap of gaps) {
        expect(gap).toBeGreaterThanOrEqual(999);
        expect(gap).toBeLessThan(1300); // a loaded machine's timers may be late, never early
      }
      expect(lastSequence(join(dir, 'public'))).toBe(50);
    } finally {
      await publisher.close();
    }
  });
});
