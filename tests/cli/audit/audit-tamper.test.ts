import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAudit } from '../../../cli/audit/export.ts';
import type { Finding, FindingCode } from '../../../cli/audit/findings.ts';
import { verifyExport } from '../../../cli/audit/verify/run.ts';
import { decryptEnvelope, loadServerMaterial, parseSignedData } from '../../../pki/index.ts';
import { urneReport } from '../../central-server/fixture.ts';
import { NIGHT, electionNight, type Night } from './scenario.ts';
import {
  acceptedOf,
  copyExport,
  editJsonLines,
  flipByte,
  readEntries,
  rechainAuditLog,
  removeFiles,
  swapFiles,
  writeEntries,
} from './tamper.ts';

let night: Night;
const sandbox = mkdtempSync(path.join(tmpdir(), 'wk-audit-tamper-'));
const pristine = path.join(sandbox, 'pristine');
let copies = 0;

beforeAll(async () => {
  night = await electionNight();
  await exportAudit({
    pkiDir: night.office.pkiDir,
    electionFile: night.office.electionFile,
    db: night.db,
    publicationDir: night.publishDir,
    outDir: pristine,
    now: new Date(),
    tool: 'test',
  });
}, 120_000);
afterAll(() => {
  night?.office.cleanup();
  rmSync(sandbox, { recursive: true, force: true });
});

/** A fresh copy of the untouched export, changed by `tamper`, then verified. */
async function verifyTampered(tamper: (dir: string) => void | Promise<void>): Promise<Finding[]> {
  const dir = copyExport(pristine, path.join(sandbox, `copy-${++copies}`));
  await tamper(dir);
  return [...(await verifyExport(dir, { now: new Date() })).findings];
}

const codes = (findings: readonly Finding[]) => findings.map((f) => f.code);
const named = (findings: readonly Finding[], code: FindingCode) =>
  findings.filter((f) => f.code === code);

describe('audit verify on a tampered export', () => {
  it('finds nothing in the untouched export (the revoked kit reported before the theft)', async () => {
    expect(await verifyTampered(() => undefined)).toEqual([]);
  });

  it('names one changed byte of one tally, with its district', async () => {
    const findings = await verifyTampered((dir) => {
      const file = path.join(dir, acceptedOf(dir, 'P2').tally!);
      const text = readFileSync(file, 'utf8');
      writeFileSync(file, text.replace('"D1":400', '"D1":500'));
    });
    expect(named(findings, 'REPORT_TALLY_ALTERED')).toMatchObject([
      { precinctId: 'P2', contestId: 'OB', revision: 1 },
    ]);
    expect(named(findings, 'REPORT_TALLY_ALTERED')[0]!.openssl).toMatch(/^cat pki\/root-ca.pem/);
  });

  it('names a changed byte inside the signed report as an invalid signature', async () => {
    const findings = await verifyTampered((dir) => {
      const file = path.join(dir, acceptedOf(dir, 'P3').p7s!);
      const der = readFileSync(file);
      const at = der.indexOf(Buffer.from('"D1":250'));
      flipByte(file, at + 6);
    });
    expect(named(findings, 'REPORT_SIGNATURE_INVALID')).toMatchObject([{ precinctId: 'P3' }]);
    // the published totals counted the genuine report: the recount without it differs
    expect(codes(findings)).toContain('RESULT_MISMATCH');
  });

  it('names a dropped report by the district the audit log recorded for it', async () => {
    const findings = await verifyTampered((dir) => {
      const dropped = acceptedOf(dir, 'P2');
      removeFiles(dir, dropped);
      writeEntries(
        dir,
        readEntries(dir).filter((e) => e.envelopeId !== dropped.envelopeId),
      );
    });
    // named twice: by the audit log's record and by its leaf in the transparency log
    const missing = named(findings, 'REPORT_MISSING');
    expect(missing.map((f) => f.precinctId)).toEqual(['P2', 'P2']);
    expect(missing).toContainEqual(expect.objectContaining({ file: 'log/leaves.jsonl' }));
    expect(named(findings, 'RESULT_MISMATCH').length).toBeGreaterThan(0);
  });

  it('names swapped revisions of one district', async () => {
    const findings = await verifyTampered((dir) => {
      const r1 = acceptedOf(dir, 'P1', 1);
      const r2 = acceptedOf(dir, 'P1', 2);
      swapFiles(path.join(dir, r1.p7s!), path.join(dir, r2.p7s!));
      swapFiles(path.join(dir, r1.tally!), path.join(dir, r2.tally!));
    });
    expect(named(findings, 'REPORT_METADATA_MISMATCH').map((f) => f.precinctId)).toEqual([
      'P1',
      'P1',
    ]);
    expect(named(findings, 'CURRENT_REVISION_WRONG')).toMatchObject([{ precinctId: 'P1' }]);
  });

  it('names a server that counts an older revision', async () => {
    const findings = await verifyTampered((dir) => {
      writeEntries(
        dir,
        readEntries(dir).map((e) =>
          e.accepted?.precinctId === 'P1'
            ? { ...e, accepted: { ...e.accepted, current: e.accepted.revision === 1 } }
            : e,
        ),
      );
    });
    expect(named(findings, 'CURRENT_REVISION_WRONG')).toMatchObject([
      { precinctId: 'P1', contestId: 'OB', revision: 2 },
    ]);
  });

  it('names a changed published total, with its area, and the broken manifest', async () => {
    const findings = await verifyTampered((dir) => {
      const file = path.join(dir, 'publication', 'results.json');
      const results = JSON.parse(readFileSync(file, 'utf8'));
      const root = results.areas.find((a: { id: string }) => a.id === 'M');
      root.ballots[0].sections[0].votes.c1 += 10;
      writeFileSync(file, JSON.stringify(results));
    });
    expect(named(findings, 'RESULT_MISMATCH')).toMatchObject([{ areaId: 'M', contestId: 'OB' }]);
    expect(named(findings, 'RESULT_MISMATCH')[0]!.detail).toMatch(
      /stimme1\.c1: published \d+, recounted \d+/,
    );
    expect(named(findings, 'MANIFEST_FILE_MISMATCH')).toMatchObject([
      { file: 'publication/results.json' },
    ]);
  });

  it('names an edited audit-log line, with its district', async () => {
    const findings = await verifyTampered((dir) => {
      editJsonLines(path.join(dir, 'audit-log.jsonl'), (row) =>
        row.kind === 'REPORT_ACCEPTED' && row.precinctId === 'P2'
          ? { ...row, event: String(row.event).replace('"revision":1', '"revision":7') }
          : row,
      );
    });
    expect(named(findings, 'AUDIT_CHAIN_BROKEN')).toMatchObject([{ precinctId: 'P2' }]);
  });

  it('names a report from a revoked station', async () => {
    const kit = night.office.kits.get('P3')!;
    const material = await loadServerMaterial(night.office.pkiDir);
    // signed after the revocation (the export's CRL history holds the CRL that revoked P3)
    const envelope = await kit.seal(
      urneReport('P3', [250, 260, 95], { revision: 2, correctionReason: 'nachträglich geändert' }),
    );
    const signedData = await decryptEnvelope(envelope, material.decryptionKey);
    const tally = parseSignedData(signedData).content;
    const findings = await verifyTampered((dir) => {
      const genuine = acceptedOf(dir, 'P3');
      const p7s = genuine.p7s!.replace(/\.p7s$/, '.r2.p7s');
      const tallyFile = genuine.tally!.replace(/\.json$/, '.r2.json');
      writeFileSync(path.join(dir, p7s), signedData);
      writeFileSync(path.join(dir, tallyFile), tally);
      const now = new Date();
      const forged = {
        ...genuine,
        envelopeId: 99,
        revision: 2,
        p7s,
        tally: tallyFile,
        accepted: {
          ...genuine.accepted!,
          sequence: NIGHT.kitReports + NIGHT.phoneReports + 1,
          revision: 2,
          acceptedAt: now.toISOString(),
          signingTime: parseSignedData(signedData).signingTime.toISOString(),
          contentHash: createHash('sha256').update(tally).digest('hex'),
          correctionReason: 'nachträglich geändert',
          current: true,
        },
      };
      writeEntries(dir, [
        ...readEntries(dir).map((e) =>
          e.envelopeId === genuine.envelopeId
            ? { ...e, accepted: { ...e.accepted!, current: false } }
            : e,
        ),
        forged,
      ]);
    });
    expect(named(findings, 'REPORT_REVOKED')).toMatchObject([{ precinctId: 'P3', revision: 2 }]);
  });
});

describe('audit verify on a result taken by phone', () => {
  it('counts it apart, checks no signature it cannot have, and finds nothing', async () => {
    const dir = copyExport(pristine, path.join(sandbox, `copy-${++copies}`));
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
