import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWahlkoffer } from '../../../cli/demo/run-cli.ts';

describe('wahlkoffer simulate, on bad input', () => {
  let dir: string;
  const args = (overrides: Record<string, string>): string[] => {
    const flags = {
      '--server': 'http://127.0.0.1:9',
      '--bundles': path.join(dir, 'bundles'),
      '--truth': path.join(dir, 'truth.json'),
      '--secrets': path.join(dir, 'secrets.json'),
      ...overrides,
    };
    return ['simulate', ...Object.entries(flags).flat()];
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'wk-sim-cli-'));
    await writeFile(path.join(dir, 'truth.json'), '[]');
    await writeFile(path.join(dir, 'secrets.json'), '{}');
    await writeFile(path.join(dir, 'garbage.json'), '{ not json');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('exits 2 with FAULT_SPEC_INVALID for an unknown fault kind', async () => {
    const run = await runWahlkoffer(args({ '--faults': 'meteor=1' }));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('FAULT_SPEC_INVALID');
  });

  it('exits 2 with TRUTH_UNREADABLE for a truth file that is not JSON', async () => {
    const run = await runWahlkoffer(args({ '--truth': path.join(dir, 'garbage.json') }));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('TRUTH_UNREADABLE');
  });

  it('exits 2 with SECRETS_UNREADABLE for a missing secrets file', async () => {
    const run = await runWahlkoffer(args({ '--secrets': path.join(dir, 'nope.json') }));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('SECRETS_UNREADABLE');
  });

  it('exits 2 for a concurrency that is not a positive integer', async () => {
    const run = await runWahlkoffer(args({ '--concurrency': '0' }));
    expect(run.code).toBe(2);
  });

  it('needs more precincts than an empty truth file has for the faults: NOT_ENOUGH_PRECINCTS', async () => {
    const run = await runWahlkoffer(args({ '--faults': 'tampered=1' }));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('NOT_ENOUGH_PRECINCTS');
  });
});
