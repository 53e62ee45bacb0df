import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, bundle } from '../../central-server/threads/bundle.js';

const run = promisify(execFile);
const PROBE = 'tests/scripts/alloc-probe-main.ts';
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('scripts/alloc-sampling.mjs and alloc-profile-summary.ts (decision 0055, s8)', () => {
  it('names the function that made the garbage, by its source file and line, though it was all collected', async () => {
    const { probe } = await bundle({ probe: PROBE });
    const dir = await mkdtemp(join(tmpdir(), 'wk-alloc-'));
    dirs.push(dir);
    await run(
      process.execPath,
      ['--import', join(ROOT, 'scripts/alloc-sampling.mjs'), fileURLToPath(probe)],
      { env: { ...process.env, WAHLKOFFER_ALLOC_DIR: dir } },
    );
    const [profile] = await readdir(dir);
    expect(profile).toMatch(/^Alloc\.\d+\.heapprofile$/);
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/alloc-profile-summary.ts', join(dir, profile!), '--top', '12'],
      { cwd: ROOT },
    );
    const line =
      (await readFile(join(ROOT, PROBE), 'utf8'))
        .split('\n')
        .findIndex((l) => l.startsWith('function makeGarbage')) + 1;
    // tens of MB of records, strings and arrays were made, far more than was ever alive at once
    const totals = stdout.slice(stdout.indexOf('and what it calls'));
    const match = new RegExp(`\\| makeGarbage ${PROBE}:${line} \\| ([\\d.]+) \\|`).exec(totals);
    expect(Number(match?.[1])).toBeGreaterThan(20);
  }, 60_000);
});
