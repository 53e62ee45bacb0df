import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWahlkoffer } from '../run-wahlkoffer.ts';
import { electionNight, type Night } from './scenario.ts';
import { acceptedOf, copyExport } from './tamper.ts';

let night: Night;
const sandbox = mkdtempSync(path.join(tmpdir(), 'wk-audit-cli-'));
const exported = path.join(sandbox, 'export');

beforeAll(async () => {
  night = await electionNight();
}, 120_000);
afterAll(() => {
  night?.office.cleanup();
  rmSync(sandbox, { recursive: true, force: true });
});

const lastLine = (stdout: string) =>
  JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    reports: number;
    checked: Record<string, number | null>;
    findings: { code: string; precinctId?: string }[];
  };

describe('wahlkoffer audit export / audit verify', () => {
  it('exports with the server’s flags and verifies: exit 0, report in three forms', async () => {
    const exp = await runWahlkoffer([
      'audit',
      'export',
      '--pki',
      night.office.pkiDir,
      '--election',
      night.office.electionFile,
      '--db',
      night.db,
      '--out',
      exported,
    ]);
    expect(exp.stderr).toBe('');
    expect(exp.code).toBe(0);
    expect(exp.stdout).toMatch(/Audit-Export in .*: 5 angenommene, 1 abgelehnte/);
    const run = await runWahlkoffer(['audit', 'verify', exported, '--show', 'P1']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Ergebnis: keine Befunde');
    expect(run.stdout).toContain('Result: no findings');
    expect(run.stdout).toMatch(/openssl cms -verify -inform DER -in reports\/000\/\d+\.P1\.p7s/);
    const summary = lastLine(run.stdout);
    expect(summary).toMatchObject({ reports: 5, findings: [] });
    expect(summary.checked).toMatchObject({
      kitReports: 4,
      signaturesValid: 4,
      phoneReports: 1,
      refused: 1,
    });
    const html = readFileSync(path.join(exported, 'audit-report.html'), 'utf8');
    expect(html).toContain('Keine Befunde');
    const json = JSON.parse(readFileSync(path.join(exported, 'audit-report.json'), 'utf8'));
    expect(json.format).toBe('wahlkoffer.audit-report/1');
  }, 120_000);

  it('exits 1 and names the district when a tally was changed', async () => {
    const dir = copyExport(exported, path.join(sandbox, 'changed'));
    const file = path.join(dir, acceptedOf(dir, 'P2').tally!);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"D2":350', '"D2":351'));
    const run = await runWahlkoffer(['audit', 'verify', dir, '--json']);
    expect(run.code).toBe(1);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(lastLine(run.stdout).findings).toMatchObject([
      { code: 'REPORT_TALLY_ALTERED', precinctId: 'P2' },
    ]);
  }, 60_000);

  it('exits 2 with one bilingual line when the folder is no export', async () => {
    const run = await runWahlkoffer(['audit', 'verify', path.join(sandbox, 'nothing')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^wahlkoffer: Der Export ist nicht lesbar .* \/ the export cannot be read/,
    );
  }, 60_000);

  it('refuses to export into a folder that is not empty', async () => {
    const run = await runWahlkoffer([
      'audit',
      'export',
      '--pki',
      night.office.pkiDir,
      '--election',
      night.office.electionFile,
      '--db',
      night.db,
      '--out',
      exported,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/nicht leer.*not empty/);
  }, 60_000);
});
