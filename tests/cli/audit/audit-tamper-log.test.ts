import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyExport } from '../../../cli/audit/verify/run.ts';
import { parseCheckpointText, signCheckpoint } from '../../../transparency/index.ts';
import { NIGHT } from './scenario.ts';
import { acceptedOf, readEntries, rechainAuditLog, writeEntries } from './tamper.ts';
import { named, tamperHarness } from './tampered-export.ts';

const { copy, verifyTampered } = tamperHarness();

type Line = Record<string, unknown> & { note?: string; leaf?: string; index?: number };

function lines(dir: string, file: string): Line[] {
  return readFileSync(path.join(dir, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Line);
}

function write(dir: string, file: string, rows: readonly Line[]): void {
  writeFileSync(path.join(dir, file), rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
}

const CHECKPOINTS = 'log/checkpoints.jsonl';
const LEAVES = 'log/leaves.jsonl';
/** the text a checkpoint's signature covers: origin, size, root */
const signedText = (note: string) => note.slice(0, note.indexOf('\n\n') + 1);

describe('audit verify on a tampered transparency log', () => {
  it('recomputes the untouched log: a leaf per accepted report, every checkpoint', async () => {
    const dir = copy();
    const report = await verifyExport(dir, { now: new Date() });
    expect(report.findings).toEqual([]);
    expect(report.checked.logLeaves).toBe(NIGHT.kitReports + NIGHT.phoneReports);
    expect(report.checked.checkpoints).toBe(lines(dir, CHECKPOINTS).length);
    expect(report.checked.checkpoints).toBeGreaterThan(1);
  });

  it('names a checkpoint signed with another key as forged, even over the true root', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const findings = await verifyTampered((dir) => {
      const rows = lines(dir, CHECKPOINTS);
      const last = rows.at(-1)!;
      const checkpoint = parseCheckpointText(signedText(last.note!));
      write(dir, CHECKPOINTS, [
        ...rows.slice(0, -1),
        { ...last, note: signCheckpoint(checkpoint, privateKey) },
      ]);
    });
    expect(findings).toMatchObject([
      {
        code: 'CHECKPOINT_SIGNATURE_INVALID',
        file: expect.stringMatching(/^log\/checkpoints\.jsonl:\d+$/),
      },
    ]);
  });

  it('names a checkpoint whose size was changed under the office’s signature', async () => {
    const findings = await verifyTampered((dir) => {
      const rows = lines(dir, CHECKPOINTS);
      const last = rows.at(-1)!;
      const note = last.note!.replace(/\n(\d+)\n/, (_, n: string) => `\n${Number(n) + 1}\n`);
      write(dir, CHECKPOINTS, [...rows.slice(0, -1), { ...last, note }]);
    });
    expect(named(findings, 'CHECKPOINT_SIGNATURE_INVALID')).toHaveLength(1);
  });

  it('names a checkpoint rolled back: an older one presented after a newer one', async () => {
    const findings = await verifyTampered((dir) => {
      const rows = lines(dir, CHECKPOINTS);
      const older = rows.find((r) => Number(signedText(r.note!).split('\n')[1]) > 0)!;
      write(dir, CHECKPOINTS, [...rows, { ...older, createdAt: new Date().toISOString() }]);
    });
    expect(findings).toMatchObject([{ code: 'CHECKPOINT_ROLLBACK' }]);
    expect(findings[0]!.detail).toMatch(/made after one of size \d+/);
  });

  it('names a report rewritten in the log: its leaf, and every signed root that covers it', async () => {
    const findings = await verifyTampered((dir) => {
      const rows = lines(dir, LEAVES);
      write(
        dir,
        LEAVES,
        rows.map((r) =>
          r.leaf!.includes('"precinctId":"P2"')
            ? { ...r, leaf: r.leaf!.replace('"revision":1', '"revision":2') }
            : r,
        ),
      );
    });
    expect(named(findings, 'LOG_LEAF_MISMATCH')).toMatchObject([{ precinctId: 'P2' }]);
    expect(named(findings, 'CHECKPOINT_ROOT_MISMATCH').length).toBeGreaterThan(0);
  });

  it('names a report taken out of the log', async () => {
    const findings = await verifyTampered((dir) => {
      const rows = lines(dir, LEAVES).filter((r) => !r.leaf!.includes('"precinctId":"P2"'));
      write(
        dir,
        LEAVES,
        rows.map((r, index) => ({ ...r, index })),
      );
    });
    expect(named(findings, 'REPORT_NOT_IN_LOG')).toMatchObject([{ precinctId: 'P2' }]);
    expect(named(findings, 'CHECKPOINT_ROOT_MISMATCH').length).toBeGreaterThan(0);
  });
});

describe('audit verify on a result taken by phone', () => {
  it('counts it apart, checks no signature it cannot have, and finds nothing', async () => {
    const dir = copy();
    const report = await verifyExport(dir, { now: new Date() });
    expect(report.findings).toEqual([]);
    expect(report.checked).toMatchObject({
      kitReports: NIGHT.kitReports,
      signaturesValid: NIGHT.kitReports,
      phoneReports: NIGHT.phoneReports,
    });
    expect(report.reports).toBe(NIGHT.kitReports + NIGHT.phoneReports);
    expect(acceptedOf(dir, 'B1')).toMatchObject({
      p7s: null,
      accepted: { source: 'telefonisch', certSerial: null },
    });
  });

  it('names it when the double entry is missing from the audit log (chain rewritten whole)', async () => {
    const findings = await verifyTampered((dir) =>
      rechainAuditLog(dir, (row) => row.kind !== 'PHONE_ENTRY'),
    );
    expect(findings).toMatchObject([
      { code: 'PHONE_ENTRY_UNDOCUMENTED', precinctId: 'B1', contestId: 'OB', revision: 1 },
    ]);
    expect(findings[0]!.detail).toMatch(/no double entry on record/);
  });

  it('names it when the audit log has no record of the phone call at all', async () => {
    const findings = await verifyTampered((dir) =>
      rechainAuditLog(dir, (row) => row.precinctId !== 'B1'),
    );
    expect(named(findings, 'PHONE_ENTRY_UNDOCUMENTED')).toMatchObject([{ precinctId: 'B1' }]);
    expect(named(findings, 'PHONE_ENTRY_UNDOCUMENTED')[0]!.detail).toMatch(/no REPORT_PHONED_IN/);
  });

  it('names a changed figure of a phoned-in result', async () => {
    const findings = await verifyTampered((dir) => {
      const file = path.join(dir, acceptedOf(dir, 'B1').tally!);
      writeFileSync(file, readFileSync(file, 'utf8').replace('"D3":150', '"D3":151'));
    });
    expect(named(findings, 'REPORT_TALLY_ALTERED')).toMatchObject([{ precinctId: 'B1' }]);
  });

  it('names a kit report passed off as phoned in to escape its signature check', async () => {
    const findings = await verifyTampered((dir) => {
      const p2 = acceptedOf(dir, 'P2');
      writeEntries(
        dir,
        readEntries(dir).map((e) =>
          e.envelopeId === p2.envelopeId
            ? { ...e, p7s: null, accepted: { ...e.accepted!, source: 'telefonisch' as const } }
            : e,
        ),
      );
    });
    expect(named(findings, 'PHONE_ENTRY_UNDOCUMENTED')).toMatchObject([{ precinctId: 'P2' }]);
    expect(named(findings, 'PHONE_ENTRY_UNDOCUMENTED')[0]!.detail).toMatch(/kit's report/);
  });
});
