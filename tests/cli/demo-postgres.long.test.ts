import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateElection } from '../../election/index.ts';
import { totalsForSummary, truthTotals } from '../../cli/demo/totals.ts';

/*
 * `wahlkoffer demo --database postgres --servers 2 --kill-one`: a throwaway PostgreSQL cluster,
 * two servers, nginx in front, one server killed with SIGKILL in the middle of the night and
 * started again — and still every district counted once, the totals equal to the truth file.
 */
const BIN = path.resolve(import.meta.dirname, '../../bin/wahlkoffer.js');
const ARGS = ['demo', '--database', 'postgres', '--servers', '2', '--kill-one', '--exit-when-done'];

const SummarySchema = z.object({
  precincts: z.number(),
  accepted: z.number(),
  rejected: z.record(z.string(), z.number()),
  totals: z.record(z.string(), z.unknown()),
  ok: z.boolean(),
  storage: z.object({
    database: z.literal('postgres'),
    servers: z.literal(2),
    killed: z.object({ killedAtReports: z.number(), restartedAtReports: z.number() }),
    storedOnce: z.boolean(),
  }),
});

function run(args: string[], onStderr?: (text: string) => void) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
    onStderr?.(stderr);
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

/** Processes whose command line mentions `text` (from /proc). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('wahlkoffer demo on PostgreSQL with two servers, one killed', () => {
  it('counts every district once and publishes the truth, with a server killed mid-burst and restarted', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wahlkoffer-demo-pg-test-'));
    const { code, stdout, stderr } = await run([...ARGS, '--dir', dir]).done;
    const lines = stdout.trim().split('\n');
    const summary = SummarySchema.parse(JSON.parse(lines[lines.length - 1]!));
    const generated = generateElection('munich-kw2020', 2020);
    expect(summary, stderr.slice(-4000)).toMatchObject({
      precincts: 1274,
      accepted: 1274,
      ok: true,
      storage: { storedOnce: true },
    });
    expect(summary.storage.killed.killedAtReports).toBeGreaterThan(0);
    expect(summary.storage.killed.killedAtReports).toBeLessThan(1274);
    expect(summary.totals).toEqual(
      totalsForSummary(truthTotals(generated.definition, [...generated.tallies()])),
    );
    expect(code).toBe(0);
    expect(stderr).toMatch(/SIGKILL to server 1/);
    const cluster = /in (\/\S+wahlkoffer-pg-\w+)\)/.exec(stderr)?.[1];
    expect(cluster).toBeDefined();
    expect(existsSync(cluster!)).toBe(false);
    expect(processesMentioning(dir)).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops PostgreSQL, nginx and the servers, and removes its folders, when SIGTERM ends it mid-night', async () => {
    let ready: () => void = () => undefined;
    const night = new Promise<void>((resolve) => (ready = resolve));
    const demo = run(ARGS, (stderr) => {
      if (stderr.includes('first report accepted')) ready();
    });
    await night;
    demo.child.kill('SIGTERM');
    const { code, stderr } = await demo.done;
    expect(code).toBe(143);
    const workspace = /working directory: (\S+)/.exec(stderr)?.[1];
    const cluster = /in (\/\S+wahlkoffer-pg-\w+)\)/.exec(stderr)?.[1];
    expect(workspace).toBeDefined();
    expect(cluster).toBeDefined();
    expect(existsSync(workspace!)).toBe(false);
    expect(existsSync(cluster!)).toBe(false);
    expect(processesMentioning(workspace!)).toEqual([]);
    expect(processesMentioning(cluster!)).toEqual([]);
  });
});
