import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheKey, usableCachedDay } from '../../bench/intake/prepare.ts';
import type { PrepareSpec } from '../../bench/intake/prepare.ts';

const spec: PrepareSpec = {
  name: 'germany-btw2025',
  shape: 'germany-btw2025',
  seed: 1,
  revisions: 1,
  correctionShare: 0.05,
};

describe('the benchmark cache of prepared kits', () => {
  let root: string;
  const saved = process.env.WAHLKOFFER_BENCH_CACHE;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'wk-cache-test-'));
    process.env.WAHLKOFFER_BENCH_CACHE = root;
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    if (saved === undefined) delete process.env.WAHLKOFFER_BENCH_CACHE;
    else process.env.WAHLKOFFER_BENCH_CACHE = saved;
  });
  const prepare = (day: string): void => {
    const dir = path.join(root, cacheKey(spec, day));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'prepared.ndjson'), '');
  };

  it('names a preparation by election, seed, size, revisions, corrections and day', () => {
    expect(cacheKey(spec, '2026-12-06')).toBe('germany-btw2025-seed1-all-r1-c0.05-2026-12-06');
    expect(cacheKey({ ...spec, urnen: 100, stations: 40 }, '2026-12-06')).toBe(
      'germany-btw2025-seed1-u100-r1-c0.05-n40-2026-12-06',
    );
  });

  it("uses yesterday evening's preparation after midnight, while its tokens hold an hour more", () => {
    prepare('2026-12-06');
    expect(usableCachedDay(spec, new Date('2026-12-06T23:00:00Z'))).toBe('2026-12-06');
    expect(usableCachedDay(spec, new Date('2026-12-07T00:30:00Z'))).toBe('2026-12-06');
    expect(usableCachedDay(spec, new Date('2026-12-07T10:59:00Z'))).toBe('2026-12-06');
    // tokens of the 6th expire at noon UTC on the 7th: from 11:00 on it is prepared afresh
    expect(usableCachedDay(spec, new Date('2026-12-07T11:00:00Z'))).toBeUndefined();
  });

  it("prefers today's preparation and ignores one that never finished", () => {
    prepare('2026-12-06');
    prepare('2026-12-07');
    expect(usableCachedDay(spec, new Date('2026-12-07T08:00:00Z'))).toBe('2026-12-07');
    expect(usableCachedDay({ ...spec, seed: 2 }, new Date('2026-12-07T08:00:00Z'))).toBeUndefined();
    mkdirSync(path.join(root, cacheKey({ ...spec, seed: 3 }, '2026-12-07')));
    expect(usableCachedDay({ ...spec, seed: 3 }, new Date('2026-12-07T08:00:00Z'))).toBeUndefined();
  });
});
