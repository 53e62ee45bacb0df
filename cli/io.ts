import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { CliError } from './cli-error.ts';

/**
 * Reads and parses a JSON file. Every failure (missing file, unreadable, not JSON) becomes a
 * CliError with exit code 2 and a one-line message naming the file, never a stack trace.
 */
export async function readJsonFile(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      error instanceof Error && 'code' in error && error.code === 'ENOENT'
        ? 'file not found'
        : error instanceof Error
          ? error.message
          : String(error);
    throw new CliError('UNREADABLE_INPUT', `cannot read ${what} ${file}: ${reason}`, 2, {
      cause: error,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError('UNREADABLE_INPUT', `${what} ${file} is not valid JSON: ${reason}`, 2, {
      cause: error,
    });
  }
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
