import { join } from 'node:path';
import type { PaperRecord, StationInfo } from '../../shared/index.ts';
import { KitError } from '../error.ts';
import type { OutboxRecord } from '../outbox/record.ts';
import { writeFileDurable } from '../storage/durable-file.ts';

/**
 * Renders the print view of one report to PDF. In Electron: a hidden window from the window
 * factory loads app://kit/print.html?outbox=<id> and `webContents.printToPDF`; in the Chromium
 * harness: `page.pdf()` on the same view. Main never builds the layout itself.
 */
export type Printer = (outboxId: string) => Promise<Uint8Array>;

/** The data of the Anlage-28 print view, from the outbox record (what was sealed and receipted). */
export function paperRecord(station: StationInfo, record: OutboxRecord): PaperRecord {
  const t = record.tally;
  return {
    station,
    outboxId: record.id,
    contestId: t.contestId,
    contestName: station.contests.find((c) => c.id === t.contestId)?.name ?? t.contestId,
    revision: t.revision,
    correctionReason: t.correctionReason ?? null,
    counts: { ...t.counts },
    acknowledgements: t.acknowledgements.map((a) => ({ code: a.code, reason: a.reason })),
    enteredBy: t.enteredBy.map((e) => ({ ...e })),
    contentHash: record.contentHash,
    sealedAt: record.sealedAt,
    receipt:
      record.receipt === null
        ? null
        : {
            receiptCode: record.receipt.receiptCode,
            serverTime: record.receipt.serverTime,
            sequence: record.receipt.sequence,
          },
  };
}

/**
 * Prints the paper record of one report to `<dataDir>/paper/<id>-<n>.pdf`, written durably.
 * A printer that fails or returns something that is not a PDF is PRINT_FAILED.
 */
export async function printPaperRecord(options: {
  readonly dataDir: string;
  readonly printer: Printer;
  readonly record: OutboxRecord;
}): Promise<{ file: string; bytes: number }> {
  let pdf: Uint8Array;
  try {
    pdf = await options.printer(options.record.id);
  } catch (error) {
    throw new KitError('PRINT_FAILED', undefined, { cause: error });
  }
  if (pdf.length < 5 || Buffer.from(pdf.subarray(0, 5)).toString('latin1') !== '%PDF-') {
    throw new KitError('PRINT_FAILED', 'printer returned no PDF');
  }
  const suffix = options.record.receipt === null ? 'unbestaetigt' : 'bestaetigt';
  const file = join(options.dataDir, 'paper', `${options.record.id}-${suffix}.pdf`);
  await writeFileDurable(file, pdf);
  return { file, bytes: pdf.length };
}
