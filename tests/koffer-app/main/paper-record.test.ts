import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import type { PaperRecord } from '../../../koffer-app/shared/index.ts';
import {
  paperRecord,
  printPaperRecord,
  type Printer,
} from '../../../koffer-app/main/paper/paper-record.ts';
import { loadInstalledKit } from '../../../koffer-app/main/provisioning/provisioning.ts';
import type { OutboxRecord } from '../../../koffer-app/main/outbox/record.ts';
import { urneReport } from '../../central-server/fixture.ts';
import { createKitOffice, type KitOffice } from '../office.ts';
import { openStation, provision } from '../station.ts';

/*
 * The paper-record service with a real printer: Chromium's page.pdf() on a page that shows the
 * record's data (a minimal stand-in for the renderer's Anlage-28 view), read back with pdftotext.
 */
let office: KitOffice;
let scratch: string;
let browser: Browser;

beforeAll(async () => {
  office = await createKitOffice({ name: 'paper' });
  scratch = mkdtempSync(join(tmpdir(), 'kit-paper-'));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  office.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const escape = (s: string) => s.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);

function chromiumPrinter(data: (id: string) => PaperRecord): Printer {
  return async (id) => {
    const page = await browser.newPage();
    try {
      const r = data(id);
      const rows = Object.entries(r.counts)
        .map(([k, v]) => `<tr><td>${escape(k)}</td><td>${v}</td></tr>`)
        .join('');
      await page.setContent(
        `<h1>Schnellmeldung ${escape(r.station.precinctNumber)}</h1>` +
          `<p>Revision ${r.revision}</p><p>Fingerabdruck ${r.contentHash}</p>` +
          `<p>Empfangscode ${escape(r.receipt?.receiptCode ?? 'noch keiner')}</p><table>${rows}</table>`,
      );
      return await page.pdf({ format: 'A4' });
    } finally {
      await page.close();
    }
  };
}

describe('the paper record', () => {
  let record: OutboxRecord;
  let data: PaperRecord;
  let dataDir: string;

  beforeAll(async () => {
    const kit = office.kits.get('P1')!;
    dataDir = join(scratch, 'kit');
    await provision(office, kit, dataDir);
    const station = await openStation(dataDir, kit.passphrase, 'http://127.0.0.1:9');
    const item = await station.outbox.seal(station.material, urneReport('P1', [300, 200, 100]));
    record = { ...(await station.outbox.record(item.id)) };
    record = {
      ...record,
      receipt: {
        jws: 'x',
        receiptCode: '4F2A-91C3',
        serverTime: new Date().toISOString(),
        sequence: 7,
      },
    };
    const installed = (await loadInstalledKit(dataDir, new Date()))!;
    data = paperRecord(installed.station, record);
    await station.close();
  });

  it('carries what the print view shows: station, counts, fingerprint, revision, names, receipt code', () => {
    expect(data).toMatchObject({
      station: { precinctNumber: '0101', precinctName: 'Schule Nord' },
      contestName: 'Oberbürgermeister',
      revision: 1,
      contentHash: record.contentHash,
      receipt: { receiptCode: '4F2A-91C3' },
    });
    expect(data.counts.D1).toBe(300);
    expect(data.enteredBy).toHaveLength(2);
  });

  it('prints it to a PDF file through the injected printer, written durably', async () => {
    const printed = await printPaperRecord({
      dataDir,
      printer: chromiumPrinter(() => data),
      record,
    });
    expect(printed.file).toMatch(/paper\/outbox-OB-r1-bestaetigt\.pdf$/);
    const pdf = readFileSync(printed.file);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBe(printed.bytes);
    const text = execFileSync('pdftotext', [printed.file, '-'], { encoding: 'utf8' });
    expect(text).toContain('4F2A-91C3');
    expect(text).toContain(record.contentHash);
  }, 60_000);

  it('refuses a printer that fails or returns no PDF (PRINT_FAILED)', async () => {
    const failing: Printer = async () => {
      throw new Error('printer offline');
    };
    const notPdf: Printer = async () => new TextEncoder().encode('<html>');
    for (const printer of [failing, notPdf]) {
      await expect(printPaperRecord({ dataDir, printer, record })).rejects.toMatchObject({
        code: 'PRINT_FAILED',
      });
    }
  });
});
