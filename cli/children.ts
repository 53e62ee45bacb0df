import type { ChildProcess } from 'node:child_process';

/** How long children get to stop after the signal before they are killed. */
const STOP_GRACE_MS = 10_000;

const live = new Set<ChildProcess>();
const waiting: ((signal: NodeJS.Signals) => void)[] = [];
const afterChildren = new Set<() => void>();
let installed = false;
let received: NodeJS.Signals | undefined;

/**
 * Registers a child process that must not outlive this one. On SIGINT or SIGTERM: if a caller is
 * waiting for the signal (`untilInterrupted`, e.g. the demo serving until Ctrl-C), it is told and
 * stops its children itself; otherwise every live child gets the same signal, and this process
 * exits once all have ended (SIGKILL for any still running after STOP_GRACE_MS). Without this,
 * ending `wahlkoffer demo` with SIGTERM left its server (and any running `pki issue`) behind.
 */
export function stopWithThisProcess<T extends ChildProcess>(child: T): T {
  live.add(child);
  child.once('exit', () => live.delete(child));
  install();
  return child;
}

/**
 * Runs `cleanUp` (e.g. removing a temporary folder) when a signal ends this process, after its
 * children have stopped. Synchronous on purpose: the exit follows in the same turn, before a
 * command's own error path (its child was killed) can end the process with another code.
 * Returns a function that unregisters it (call it when the normal path cleaned up itself).
 */
export function cleanUpOnSignal(cleanUp: () => void): () => void {
  afterChildren.add(cleanUp);
  return () => afterChildren.delete(cleanUp);
}

/** Resolves on the first SIGINT or SIGTERM; while someone waits, the caller handles shutdown. */
export function untilInterrupted(): Promise<NodeJS.Signals> {
  install();
  if (received !== undefined) return Promise.resolve(received);
  return new Promise((resolve) => waiting.push(resolve));
}

/**
 * Takes over SIGINT and SIGTERM for this process now. A command that starts children calls it
 * before the first spawn, so no signal can fall between a spawn and its registration.
 */
export function install(): void {
  if (installed) return;
  installed = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => void onSignal(signal));
  }
}

async function onSignal(signal: NodeJS.Signals): Promise<void> {
  if (received !== undefined) return;
  received = signal;
  if (waiting.length > 0) {
    for (const resolve of waiting.splice(0)) resolve(signal);
    return;
  }
  await stopChildren(signal);
  for (const cleanUp of afterChildren) {
    try {
      cleanUp();
    } catch (error) {
      process.stderr.write(`cleaning up after ${signal} failed: ${String(error)}\n`);
    }
  }
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

async function stopChildren(signal: NodeJS.Signals): Promise<void> {
  const children = [...live];
  const ended = children.map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else child.once('exit', () => resolve());
      }),
  );
  for (const child of children) child.kill(signal);
  const timer = setTimeout(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }, STOP_GRACE_MS);
  await Promise.all(ended);
  clearTimeout(timer);
}
