import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../bin/wahlkoffer.js');

/** The direct children of a process that run `wahlkoffer …`, from /proc (Linux). */
function wahlkofferChildrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter((s) => s !== '')
      .map(Number)
      .filter((child) => {
        try {
          return readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('wahlkoffer.js');
        } catch {
          return false;
        }
      });
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.each(['SIGTERM', 'SIGINT'] as const)('wahlkoffer demo ended with %s', (signal) => {
  it('stops the commands it started before it exits', async () => {
    const demo = spawn(process.execPath, [BIN, 'demo', '--exit-when-done'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => demo.once('exit', (c) => resolve(c)));
    // wait until the demo runs a command (`wahlkoffer election generate`, then the PKI
    // ceremony); other children (the TypeScript loader's) do not count
    let children: number[] = [];
    const started = Date.now();
    while (children.length === 0 && Date.now() - started < 120_000) {
      await new Promise((r) => setTimeout(r, 50));
      children = wahlkofferChildrenOf(demo.pid!);
    }
    expect(children.length).toBeGreaterThan(0);
    demo.kill(signal);
    expect(await exited).toBe(signal === 'SIGINT' ? 130 : 143);
    expect(children.filter(alive)).toEqual([]);
  }, 180_000);
});
