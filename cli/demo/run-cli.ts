import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopWithThisProcess } from '../children.ts';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/wahlkoffer.js');

export type CliRun = {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
};

/**
 * Runs a `wahlkoffer` subcommand in its own process, as an office operator would: the demo uses
 * the other parts only through their documented commands (election generate, pki init/issue/
 * revoke, server). stderr lines (progress bars) can be forwarded.
 */
export function runWahlkoffer(
  args: readonly string[],
  options: { readonly onStderr?: (text: string) => void; readonly cwd?: string } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = stopWithThisProcess(
      spawn(process.execPath, [BIN, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
        cwd: options.cwd,
      }),
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => {
      const text = c.toString('utf8');
      stderr += text;
      options.onStderr?.(text);
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Like runWahlkoffer, but a non-zero exit is an error naming the command and its output. */
export async function mustRunWahlkoffer(
  args: readonly string[],
  options: { readonly onStderr?: (text: string) => void } = {},
): Promise<CliRun> {
  const run = await runWahlkoffer(args, options);
  if (run.code !== 0) {
    throw new Error(
      `wahlkoffer ${args.slice(0, 2).join(' ')} failed (exit ${run.code}):\n${run.stderr}${run.stdout}`.trim(),
    );
  }
  return run;
}
