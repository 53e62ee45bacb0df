import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseGuide, unmarkedShellBlocks, type GuideBlock } from './guide-blocks.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A textual replacement the test applies to the guide's commands before running them, e.g. a
 * free port for 8443 or the test KDF for `pki init`. Each must match at least once, so a
 * replacement cannot silently stop applying when the guide changes.
 */
export type Substitution = { readonly from: string; readonly to: string };

export type GuideRunOptions = {
  /** path of the guide, relative to the repository (docs/guides/office.md) */
  readonly guide: string;
  /** an empty temporary directory: gets home/ (= $HOME) and bin/wahlkoffer */
  readonly sandbox: string;
  /** working directory of the commands; default $HOME of the sandbox */
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly substitutions?: readonly Substitution[];
  /** a section of the guide: only blocks after the heading that contains this text, up to the next heading of the same level */
  readonly section?: string;
  /**
   * What the test does itself right before a block whose (substituted) command contains
   * `before`: a step of the guide that is not a command the test can run as written (the
   * machine's own nginx, started with the guide's configuration block).
   */
  readonly hooks?: readonly { readonly before: string; readonly run: () => Promise<void> }[];
};

export type BlockRun = {
  readonly block: GuideBlock;
  readonly code: number | null;
  readonly output: string;
};

type Background = {
  section: string;
  child: ChildProcess;
  exited: Promise<void>;
  output: () => string;
};

/** The sandbox's $HOME and a `wahlkoffer` on PATH that runs this checkout's bin/wahlkoffer.js. */
export function prepareSandbox(sandbox: string): { home: string; env: NodeJS.ProcessEnv } {
  const home = path.join(sandbox, 'home');
  const bin = path.join(sandbox, 'bin');
  mkdirSync(home, { recursive: true });
  mkdirSync(bin, { recursive: true });
  const shim = path.join(bin, 'wahlkoffer');
  writeFileSync(
    shim,
    `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'bin/wahlkoffer.js')}" "$@"\n`,
  );
  chmodSync(shim, 0o755);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('WAHLKOFFER_')) env[k] = v;
  env.HOME = home;
  env.PATH = `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`;
  return { home, env };
}

/** The text of the guide's fenced blocks in language `lang` (e.g. its nginx configuration). */
export function guideCodeBlocks(guide: string, lang: string): string[] {
  return parseGuide(readFileSync(path.join(ROOT, guide), 'utf8'), guide)
    .filter((b) => b.lang === lang)
    .map((b) => b.code);
}

/** The blocks of one section (or the whole guide), every shell block required to carry a marker. */
export function guideBlocks(guide: string, section?: string): GuideBlock[] {
  let text = readFileSync(path.join(ROOT, guide), 'utf8');
  if (section !== undefined) {
    const lines = text.split('\n');
    const start = lines.findIndex((l) => /^#+ /.test(l) && l.includes(section));
    if (start < 0) throw new Error(`${guide} has no heading containing "${section}"`);
    const level = /^#+/.exec(lines[start]!)![0].length;
    const end = lines.findIndex(
      (l, i) => i > start && /^#+ /.test(l) && /^#+/.exec(l)![0].length <= level,
    );
    // keep the line numbers: blank out what lies outside the section
    text = lines.map((l, i) => (i >= start && (end < 0 || i < end) ? l : '')).join('\n');
  }
  const blocks = parseGuide(text, guide);
  const unmarked = unmarkedShellBlocks(blocks);
  if (unmarked.length > 0) {
    throw new Error(
      `${guide}: shell blocks without a <!-- guide-test: run|background|skip --> marker at line(s) ` +
        `${unmarked.map((b) => b.line).join(', ')} (see tests/guides/guide-blocks.ts)`,
    );
  }
  return blocks;
}

function applySubstitutions(blocks: GuideBlock[], subs: readonly Substitution[], guide: string) {
  const runnable = blocks.filter((b) => b.marker !== undefined && b.marker.mode !== 'skip');
  for (const s of subs) {
    if (!runnable.some((b) => b.code.includes(s.from))) {
      throw new Error(
        `${guide}: the test's substitution "${s.from}" no longer matches any command`,
      );
    }
  }
  return runnable.map((b) => ({
    ...b,
    code: subs.reduce((code, s) => code.split(s.from).join(s.to), b.code),
  }));
}

/** Every block process group still running, so a test that times out can stop them all. */
const RUNNING = new Set<ChildProcess>();

/** Stops whatever a guide run left running (call in afterAll). */
export async function stopAllBlocks(): Promise<void> {
  await Promise.all(
    [...RUNNING].map((child) =>
      stopGroup(child, new Promise((resolve) => child.once('close', resolve))),
    ),
  );
}

function startBlock(block: GuideBlock, dir: string, cwd: string, env: NodeJS.ProcessEnv) {
  const script = path.join(dir, `line-${block.line}.sh`);
  writeFileSync(script, `set -euo pipefail\n${block.code}\n`);
  const child = spawn('bash', [script], {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
  RUNNING.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      RUNNING.delete(child);
      resolve(code);
    }),
  );
  return { child, exited, output: () => output };
}

/** Ends a block's whole process group (bash and what it started): SIGTERM, then SIGKILL. */
async function stopGroup(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, s);
    } catch {
      // the group is already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

function describeFailure(block: GuideBlock, guide: string, why: string, output: string): Error {
  return new Error(
    `${guide}:${block.line}: ${why}\n--- command ---\n${block.code}\n--- output ---\n${output}`,
  );
}

async function runForeground(
  block: GuideBlock,
  guide: string,
  dir: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<BlockRun> {
  const marker = block.marker!;
  const run = startBlock(block, dir, cwd, env);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void stopGroup(run.child, run.exited);
  }, marker.timeoutSeconds * 1000);
  const code = await run.exited;
  clearTimeout(timer);
  const output = run.output();
  if (timedOut)
    throw describeFailure(block, guide, `no exit within ${marker.timeoutSeconds} s`, output);
  if (code !== marker.exit) {
    throw describeFailure(block, guide, `exit ${code}, the guide expects ${marker.exit}`, output);
  }
  if (marker.expect !== undefined && !marker.expect.test(output)) {
    throw describeFailure(block, guide, `output does not match /${marker.expect.source}/`, output);
  }
  return { block, code, output };
}

async function startBackground(
  block: GuideBlock,
  guide: string,
  dir: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<Background> {
  const marker = block.marker!;
  const run = startBlock(block, dir, cwd, env);
  const background = {
    section: block.section,
    child: run.child,
    exited: run.exited.then(() => undefined),
    output: run.output,
  };
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), marker.timeoutSeconds * 1000);
    const check = () => {
      if (marker.ready!.test(run.output())) {
        clearTimeout(timer);
        resolve(true);
      }
    };
    run.child.stdout!.on('data', check);
    run.child.stderr!.on('data', check);
    void run.exited.then(() => {
      clearTimeout(timer);
      resolve(marker.ready!.test(run.output()));
    });
  });
  if (!ready || run.child.exitCode !== null) {
    await stopGroup(run.child, run.exited);
    throw describeFailure(block, guide, `never printed /${marker.ready!.source}/`, run.output());
  }
  return background;
}

/**
 * Runs a guide's marked blocks in document order, as a reader would type them: each block a bash
 * script (`set -euo pipefail`) in the same working directory, background blocks left running
 * (a second terminal) until their section ends. Throws on the first block that does not behave as marked.
 */
export async function runGuide(options: GuideRunOptions): Promise<BlockRun[]> {
  const { home, env: base } = prepareSandbox(options.sandbox);
  const env = { ...base, ...options.env };
  const cwd = options.cwd ?? home;
  const scripts = path.join(options.sandbox, 'scripts');
  mkdirSync(scripts, { recursive: true });
  const blocks = applySubstitutions(
    guideBlocks(options.guide, options.section),
    options.substitutions ?? [],
    options.guide,
  );
  const backgrounds: Background[] = [];
  const runs: BlockRun[] = [];
  try {
    for (const block of blocks) {
      // a new section: the reader stopped what ran in the earlier one (Ctrl-C)
      const ended = backgrounds.filter((b) => b.section !== block.section);
      await Promise.all(ended.map((b) => stopGroup(b.child, b.exited)));
      backgrounds.splice(0, backgrounds.length, ...backgrounds.filter((b) => !ended.includes(b)));
      for (const hook of options.hooks ?? []) {
        if (block.code.includes(hook.before)) await hook.run();
      }
      if (block.marker!.mode === 'background') {
        backgrounds.push(await startBackground(block, options.guide, scripts, cwd, env));
      } else {
        runs.push(await runForeground(block, options.guide, scripts, cwd, env));
      }
    }
  } finally {
    await Promise.all(backgrounds.map((b) => stopGroup(b.child, b.exited)));
  }
  return runs;
}
