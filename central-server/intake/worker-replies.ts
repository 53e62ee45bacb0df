import { parentPort } from 'node:worker_threads';
import { PkiError } from '../../pki/index.ts';
import type { FromVerifier, VerifyJob, VerifyReply } from './verify-messages.ts';

/** A job's reply and the buffers that go with it (transferred, not copied). */
export type Answered = { readonly reply: VerifyReply; readonly transfer: readonly ArrayBuffer[] };

/** Sends one message of replies to the main thread, their buffers transferred. */
export function reply(answered: readonly Answered[]): void {
  parentPort?.postMessage(
    { replies: answered.map((a) => a.reply) } satisfies FromVerifier,
    answered.flatMap((a) => a.transfer),
  );
}

/** A failed job's reply: a PkiError keeps its code (a refusal), anything else has none. */
export function failure(id: number, error: unknown): VerifyReply {
  return error instanceof PkiError
    ? { id, ok: false, code: error.code, message: error.message }
    : { id, ok: false, code: null, message: String(error) };
}

/** The reply to a job this thread does not do (the pool sends each kind to its own threads). */
export function notMine(job: VerifyJob, thread: string): Answered {
  return { reply: failure(job.id, new Error(`not a job for the ${thread} thread`)), transfer: [] };
}
