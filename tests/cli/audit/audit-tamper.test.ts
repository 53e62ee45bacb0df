import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decryptEnvelope, loadServerMaterial, parseSignedData } from '../../../pki/index.ts';
import { urneReport } from '../../central-server/fixture.ts';
import { NIGHT } from './scenario.ts';
import {
  acceptedOf,
  editJsonLines,
  flipByte,
  readEntries,
  rechainAuditLog,
  removeFiles,
  swapFiles,
  writeEntries,
} from './tamper.ts';
import { codes, named, tamperHarness } from './tampered-export.ts';

const { night, copy, verifyTampered } = tamperHarness();

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

  it('finds the same when the signature checks run in worker threads', async () => {
    const tamper = (dir: string) => {
      const file = path.join(dir, acceptedOf(dir, 'P2').tally!);
      writeFileSync(file, readFileSync(file, 'utf8').replace('"D1":400', '"D1":500'));
      const p7s = path.join(dir, acceptedOf(dir, 'P3').p7s!);
      flipByte(p7s, readFileSync(p7s).indexOf(Buffer.from('"D1":250')) + 6);
    };
    const onThisThread = await verifyTampered(tamper, { threads: 0 });
    expect(codes(onThisThread)).toEqual(
      expect.arrayContaining(['REPORT_TALLY_ALTERED', 'REPORT_SIGNATURE_INVALID']),
    );
    expect(await verifyTampered(tamper, { threads: 2 })).toEqual(onThisThread);
    expect(await verifyTampered(() => undefined, { threads: 2 })).toEqual([]);
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

  it('names a forged report number far beyond the others in one finding, not one per number', async () => {
    const findings = await verifyTampered((dir) => {
      const p2 = acceptedOf(dir, 'P2');
      writeEntries(
        dir,
        readEntries(dir).map((e) =>
          e.envelopeId === p2.envelopeId
            ? { ...e, accepted: { ...e.accepted!, sequence: 2_000_000_000 } }
            : e,
        ),
      );
    });
    const missing = named(findings, 'REPORT_MISSING');
    // P2's true number: recorded by the audit log and the transparency log, absent from the export
    expect(missing.filter((f) => f.precinctId === 'P2')).toHaveLength(2);
    // the numbers up to the forged one: a single finding for the whole run
    expect(
      missing.filter((f) => /no report numbers \d+ to 1999999999/.test(f.detail)),
    ).toHaveLength(1);
    expect(findings.length).toBeLessThan(20);
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

  it('names a published snapshot the audit log does not record as published', async () => {
    const pristine = copy();
    const manifestSha256 = createHash('sha256')
      .update(readFileSync(path.join(pristine, 'publication/manifest.json')))
      .digest('hex');
    const logged = readFileSync(path.join(pristine, 'audit-log.jsonl'), 'utf8');
    expect(logged).toContain(manifestSha256); // the untouched export passes this check
    // the forger rewrites the record of that publication and chains the log anew
    const findings = await verifyTampered((dir) =>
      rechainAuditLog(
        dir,
        () => true,
        (event) => {
          const data = event.data as { manifestSha256?: string } | undefined;
          return event.kind === 'RESULTS_PUBLISHED' && data?.manifestSha256 === manifestSha256
            ? { ...event, data: { ...data, manifestSha256: '0'.repeat(64) } }
            : event;
        },
      ),
    );
    expect(findings).toMatchObject([
      { code: 'PUBLICATION_NOT_LOGGED', file: 'publication/manifest.json' },
    ]);
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
    const kit = night().office.kits.get('P3')!;
    const material = await loadServerMaterial(night().office.pkiDir);
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
