import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { THREAD_RESOURCE_LIMITS } from '../../../central-server/threads/entries.ts';
import { serverNodeArgs } from '../../../cli/demo/server-process.ts';

const run = promisify(execFile);

/**
 * In a Node process started with `flags`: a worker thread with the server's resource limits makes
 * garbage for a while, then tells how large its young generation (new space) has grown, in MB.
 */
async function workerNewSpaceMb(
  flags: readonly string[],
  limits: { readonly maxYoungGenerationSizeMb: number },
): Promise<number> {
  const worker = `
    const v8 = require('node:v8');
    let keep = [];
    for (let i = 0; i < 2e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 2e5) keep = []; }
    const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    require('node:worker_threads').parentPort.postMessage(space.space_size / 2 ** 20);`;
  const main = `
    const { Worker } = require('node:worker_threads');
    const w = new Worker(${JSON.stringify(worker)}, { eval: true, resourceLimits: ${JSON.stringify(limits)} });
    w.once('message', (mb) => { console.log(mb); w.terminate(); });`;
  const { stdout } = await run(process.execPath, [...flags, '-e', main]);
  return Number(stdout.trim());
}

describe("the server process's Node flags (decision 0067)", () => {
  it("keep each worker thread's young generation within its resource limit", async () => {
    const flags = serverNodeArgs({});
    expect(flags).toEqual([]);
    for (const limits of new Set(Object.values(THREAD_RESOURCE_LIMITS))) {
      expect(await workerNewSpaceMb(flags, limits)).toBeLessThanOrEqual(
        limits.maxYoungGenerationSizeMb,
      );
    }
  });

  it('would lose that limit with --max-semi-space-size, which V8 applies to every thread', async () => {
    const { writer } = THREAD_RESOURCE_LIMITS;
    expect(await workerNewSpaceMb(['--max-semi-space-size=16'], writer)).toBeGreaterThan(
      writer.maxYoungGenerationSizeMb,
    );
  });

  it('take extra flags from WAHLKOFFER_SERVER_NODE_ARGS, e.g. for a profile', () => {
    expect(
      serverNodeArgs({ WAHLKOFFER_SERVER_NODE_ARGS: ' --cpu-prof  --cpu-prof-dir=/tmp/p ' }),
    ).toEqual(['--cpu-prof', '--cpu-prof-dir=/tmp/p']);
  });
});
