import { readlinkSync } from 'node:fs';
import { BroadcastChannel, isMainThread } from 'node:worker_threads';
import { z } from 'zod';
import type { Logger } from '../logger.ts';

/*
 * Which operating-system thread runs which of the server's threads. Every thread of a Node
 * process is called "node" in `top -H` and /proc, so neither an operator nor the intake benchmark
 * could tell the verification thread from the publication thread by its CPU. Each worker thread
 * announces its thread id on one BroadcastChannel (it reaches the main thread from nested workers
 * too, e.g. the public listener that the publication thread starts), and the main thread logs it
 * once: `thread started {thread, osThread}`. The channel is the process's: where a process runs
 * several servers (tests), each logs the others' threads too.
 */

const CHANNEL = 'wahlkoffer:threads';
const AnnouncementSchema = z.object({
  thread: z.string().regex(/^[a-z]{1,20}$/),
  osThread: z.number().int().positive(),
});
export type ThreadAnnouncement = z.infer<typeof AnnouncementSchema>;

/** The calling thread's id in the operating system (Linux: `/proc/thread-self`), else undefined. */
export function osThreadId(): number | undefined {
  try {
    const id = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    return Number.isSafeInteger(id) && id > 0 ? id : undefined;
  } catch {
    return undefined;
  }
}

/** First thing in a worker thread: tells the main thread which OS thread runs `thread`. */
export function announceThread(thread: string): void {
  const osThread = osThreadId();
  if (osThread === undefined || isMainThread) return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage({ thread, osThread } satisfies ThreadAnnouncement);
  channel.close();
}

/**
 * In the main thread: logs itself and each worker thread that announces itself, until the
 * returned function is called. The channel does not keep the process alive.
 */
export function logThreads(logger: Logger): () => void {
  const own = osThreadId();
  if (own !== undefined) logger.info({ thread: 'main', osThread: own }, 'thread started');
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event) => {
    const announced = AnnouncementSchema.safeParse((event as MessageEvent).data);
    if (announced.success) logger.info(announced.data, 'thread started');
  };
  channel.unref();
  return () => channel.close();
}
