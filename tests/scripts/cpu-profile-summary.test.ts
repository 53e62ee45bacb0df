import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, bundle } from '../../central-server/threads/bundle.js';

const run = promisify(execFile);
const PROBE = 'tests/scripts/profile-probe-main.ts';
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('scripts/cpu-profile-summary.ts on bundled threads (decisions 0055, 0067)', () => {
  it('a bundle has its source map beside it, naming the sources by absolute file URL', async () => {
    const { probe } = await bundle({ probe: PROBE });
    const code = await readFile(fileURLToPath(probe), 'utf8');
    expect(code).toContain('//# sourceMappingURL=probe.mjs.map');
    const map = JSON.parse(await readFile(`${fileURLToPath(probe)}.map`, 'utf8')) as {
      sources: string[];
    };
    expect(map.sources).toContain(pathToFileURL(join(ROOT, PROBE)).href);
  });

  it("names the source file and line of a bundle's function in a profile, not the bundle", async () => {
    const { probe } = await bundle({ probe: PROBE });
    const dir = await mkdtemp(join(tmpdir(), 'wk-prof-'));
    dirs.push(dir);
    await run(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, fileURLToPath(probe)]);
    const [profile] = await readdir(dir);
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/cpu-profile-summary.ts', join(dir, profile!), '--top', '5'],
      { cwd: ROOT },
    );
    const line =
      (await readFile(join(ROOT, PROBE), 'utf8'))
        .split('\n')
        .findIndex((l) => l.startsWith('function spinForProfile')) + 1;
    const byFunction = stdout.slice(stdout.indexOf('Self time by function'));
    const first = byFunction.split('\n').find((l) => l.startsWith('| spinForProfile'));
    expect(first).toMatch(new RegExp(`^\\| spinForProfile ${PROBE}:${line} \\| \\d+ \\|`));
    // by source too: the probe's file holds the busy time (the bundle keeps only its own top
    // level, which maps to no source line)
    const bySource = stdout.slice(
      stdout.indexOf('Self time by source'),
      stdout.indexOf('Self time by function'),
    );
    const share = new RegExp(`\\| ${PROBE} \\| \\d+ \\| ([\\d.]+) \\|`).exec(bySource);
    expect(Number(share?.[1])).toBeGreaterThan(50);
    // and in the totals, the probe's function with everything it called
    const totals = stdout.slice(stdout.indexOf('Total time by function'));
    expect(totals).toMatch(new RegExp(`\\| spinForProfile ${PROBE}:${line} \\| \\d+ \\|`));
  }, 60_000);
});
