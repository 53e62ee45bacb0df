import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateElection } from '../../election/index.ts';
import { truthTotals, totalsForSummary } from '../../cli/demo/totals.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/wahlkoffer.js');

const SummarySchema = z.object({
  precincts: z.number(),
  accepted: z.number(),
  rejected: z.record(z.string(), z.number()),
  totals: z.record(z.string(), z.unknown()),
  ok: z.boolean(),
  faults: z.array(
    z.object({ kind: z.string(), expected: z.string(), actual: z.string(), ok: z.boolean() }),
  ),
  timings: z.record(z.string(), z.number()),
});

function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'demo', '--exit-when-done'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('wahlkoffer demo --exit-when-done (the whole Munich election night)', () => {
  it('accepts all 1,274 districts, refuses every fault with its code, and publishes the truth', async () => {
    const { code, stdout, stderr } = await runDemo();
    const lines = stdout.trim().split('\n');
    const summary = SummarySchema.parse(JSON.parse(lines[lines.length - 1]!));
    const generated = generateElection('munich-kw2020', 2020);
    const expectedTotals = totalsForSummary(
      truthTotals(generated.definition, [...generated.tallies()]),
    );
    expect(summary, stderr.slice(-4000)).toMatchObject({
      precincts: 1274,
      accepted: 1274,
      ok: true,
    });
    expect(summary.faults.every((f) => f.ok && f.expected === f.actual)).toBe(true);
    expect(summary.totals).toEqual(expectedTotals);
    expect(summary.timings.firstAcceptedSeconds).toBeLessThanOrEqual(120);
    expect(code).toBe(0);
  });
});
