import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';

/**
 * Streams a JSON-lines file of the export, one line at a time (the file of 90,000 envelopes is
 * never held whole). Returns false when the file does not exist; empty lines are skipped.
 */
export async function readLines(
  dir: string,
  file: string,
  onLine: (line: string, lineNo: number) => Promise<void> | void,
): Promise<boolean> {
  const full = path.join(dir, file);
  try {
    await access(full);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const lines = createInterface({ input: createReadStream(full, 'utf8'), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo += 1;
    if (line.trim() === '') continue;
    await onLine(line, lineNo);
  }
  return true;
}
