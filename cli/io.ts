import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import type { LocalizedMessage } from '../election/error.ts';
import { CliError } from './cli-error.ts';
import { describeSystemError } from './system-error.ts';

/** What a file is, for messages: "Die Wahldefinition x ist nicht lesbar" / "cannot read election definition x". */
export const FILE_KINDS = {
  election: { de: 'Die Wahldefinition', en: 'election definition' },
  tally: { de: 'Die Schnellmeldungsdatei', en: 'tally file' },
  bundle: { de: 'Das Bereitstellungspaket', en: 'bundle' },
  sealed: { de: 'Die versiegelte Meldung', en: 'sealed report' },
  file: { de: 'Die Datei', en: 'file' },
  caPassphrase: { de: 'Die Datei mit der CA-Passphrase', en: 'CA passphrase file' },
  stationPassphrase: { de: 'Die Datei mit der Stations-Passphrase', en: 'station passphrase file' },
  rootCa: { de: 'Das Wurzelzertifikat', en: 'root CA certificate' },
} as const satisfies Record<string, LocalizedMessage>;

/**
 * Reads and parses a JSON file. Every failure (missing file, unreadable, not JSON) becomes a
 * CliError with exit code 2 and a one-line message naming the file, never a stack trace.
 */
export async function readJsonFile(file: string, what: LocalizedMessage): Promise<unknown> {
  const text = await readInputText(file, what);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(
      'UNREADABLE_INPUT',
      {
        de: `${what.de} ${file} ist kein gültiges JSON (${reason}).`,
        en: `${what.en} ${file} is not valid JSON: ${reason}`,
      },
      2,
      { cause: error },
    );
  }
}

/** Reads a text file the user named; a missing or unreadable file is a one-line error (exit 2). */
export async function readInputText(file: string, what: LocalizedMessage): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw unreadable(file, what, error);
  }
}

/** Reads a file the user named as bytes (bundles, sealed reports). */
export async function readInputBytes(file: string, what: LocalizedMessage): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw unreadable(file, what, error);
  }
}

function unreadable(file: string, what: LocalizedMessage, error: unknown): CliError {
  const system = describeSystemError(error, { withPath: false });
  return new CliError(
    'UNREADABLE_INPUT',
    {
      de: `${what.de} ${file} ist nicht lesbar: ${system?.de ?? String(error)}`,
      en: `cannot read ${what.en} ${file}: ${system?.en ?? String(error)}`,
    },
    2,
    { cause: error },
  );
}

/** Formats the first zod issues as "path: message; …" for a one-line error. */
export function describeZodError(error: z.ZodError, prefix: string): string {
  return error.issues
    .slice(0, 5)
    .map(
      (issue) =>
        `${[prefix, ...issue.path.map(String)].filter(Boolean).join('.')}: ${issue.message}`,
    )
    .join('; ');
}

/**
 * Writes text chunks to a file as they come, honouring back-pressure, so a 50 MB file never
 * exists as one string in memory.
 */
export async function writeChunks(file: string, chunks: Iterable<string>): Promise<void> {
  const out = createWriteStream(file, { encoding: 'utf8' });
  const failed = once(out, 'error').then(([error]) => {
    throw error;
  });
  failed.catch(() => undefined);
  let buffer = '';
  for (const chunk of chunks) {
    buffer += chunk;
    if (buffer.length < 1 << 16) continue;
    if (!out.write(buffer)) await Promise.race([once(out, 'drain'), failed]);
    buffer = '';
  }
  out.end(buffer);
  await Promise.race([once(out, 'finish'), failed]);
}

/** A JSON array written one element per line: "[\n{…},\n{…}\n]\n". */
export function* jsonArrayLines(items: Iterable<unknown>, indent = ''): Generator<string> {
  let first = true;
  yield '[';
  for (const item of items) {
    yield `${first ? '' : ','}\n${indent}${JSON.stringify(item)}`;
    first = false;
  }
  yield first ? ']' : `\n${indent.slice(2)}]`;
}
