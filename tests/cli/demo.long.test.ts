import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateElection } from '../../election/index.ts';
import { snapshotTotals } from '../../cli/demo/publication.ts';
import { compareTotals, truthTotals, totalsForSummary } from '../../cli/demo/totals.ts';

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

function runDemo(dir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'demo', '--exit-when-done', '--dir', dir], {
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
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wahlkoffer-demo-test-'));
    const { code, stdout, stderr } = await runDemo(dir);
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

    // the final publication stays in <dir>/publication/: complete, signed, equal to the truth
    const publication = path.join(dir, 'publication');
    expect(existsSync(path.join(publication, 'index.html'))).toBe(true);
    const results = JSON.parse(
      readFileSync(path.join(publication, 'results.json'), 'utf8'),
    ) as Parameters<typeof snapshotTotals>[0];
    expect(results.reportsCounted).toBe(1274);
    expect(
      compareTotals(
        truthTotals(generated.definition, [...generated.tallies()]),
        snapshotTotals(results, generated.definition),
      ),
    ).toEqual([]);
    const verified = spawnSync(
      'openssl',
      [
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        path.join(publication, 'manifest.p7s'),
        '-content',
        path.join(publication, 'manifest.json'),
        '-CAfile',
        path.join(dir, 'pki', 'root-ca.pem'),
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ],
      { encoding: 'utf8' },
    );
    expect(verified.status, verified.stderr).toBe(0);
    expect(stderr).toContain('/ergebnisse/');
    // the dashboard's URL and its demo users: names, roles, passwords, TOTP secrets, owner-only
    expect(stderr).toMatch(/dashboard \(office\): http:\/\/[0-9.:]+\/office\//);
    const usersFile = path.join(dir, 'office-users.json');
    expect(statSync(usersFile).mode & 0o777).toBe(0o600);
    const { users } = JSON.parse(readFileSync(usersFile, 'utf8')) as {
      users: { name: string; role: string; password: string; totpSecret: string }[];
    };
    expect(users.map((u) => u.role)).toEqual(['admin', 'operator', 'operator', 'auditor']);
    expect(users.every((u) => u.password.length >= 12 && /^[A-Z2-7]{32}$/.test(u.totpSecret))).toBe(
      true,
    );
    rmSync(dir, { recursive: true, force: true });
  });
});
