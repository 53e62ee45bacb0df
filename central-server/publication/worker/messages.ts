import { z } from 'zod';
import type { Tally } from '../../../election/index.ts';
import { DISTRICT_SOURCES } from '../model.ts';

/**
 * The messages between the server's main thread and the publication thread, parsed on arrival
 * on both sides (a thread boundary is a boundary). Times travel as epoch milliseconds, bytes as
 * Uint8Array (copied or transferred by structured clone).
 */

const Bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'bytes');

export const WorkerSetupSchema = z.strictObject({
  electionFile: z.string().min(1),
  pkiDir: z.string().min(1),
  publishDir: z.string().min(1),
  css: z.string(),
  timeZone: z.string().min(1),
  logLevel: z.string(),
  /** a public listener of its own (host, port 0 = any), or none */
  listen: z
    .strictObject({ host: z.string().min(1), port: z.number().int().min(0).max(65_535) })
    .nullable(),
  /** the public listener thread's code (central-server/threads/entries.ts; set by the client) */
  serveEntry: z.string().min(1).optional(),
  coalesceMs: z.number().int().min(0).max(10_000).optional(),
  periodMs: z.number().int().min(0).max(10_000).optional(),
  budgetMs: z.number().int().min(1).max(60_000).optional(),
  memoryBytes: z.number().int().min(0).optional(),
  /** the shortest time a superseded snapshot stays (snapshot-dir.ts `DEFAULT_GRACE_MS`) */
  graceMs: z.number().int().min(0).max(60_000).optional(),
});
export type WorkerSetup = z.infer<typeof WorkerSetupSchema>;

/**
 * A counted tally: validated in full once, where it entered the server (pki `openMeldung` for a
 * kit's report, the four-eyes entry for a phoned-in one, the stored row at start), so between
 * the server's own threads only its shape is checked — a second full schema pass of every
 * report cost the publication thread a tenth of its time during a burst (decisions/0066).
 */
const CountedTally = z.custom<Tally>((v) => {
  if (typeof v !== 'object' || v === null) return false;
  const t = v as Partial<Record<keyof Tally, unknown>>;
  return (
    typeof t.electionId === 'string' &&
    typeof t.precinctId === 'string' &&
    typeof t.contestId === 'string' &&
    Number.isSafeInteger(t.revision) &&
    typeof t.counts === 'object' &&
    t.counts !== null
  );
}, 'tally');

export const CountedWireSchema = z.strictObject({
  schnellmeldung: CountedTally,
  sequence: z.number().int().min(0),
  acceptedAt: z.number(),
  source: z.enum(DISTRICT_SOURCES),
});
export type CountedWire = z.infer<typeof CountedWireSchema>;

/**
 * A serving thread (the main thread, the public listener) reads only this snapshot directory and
 * later ones from now on (serve.ts `DirectoryReads`); older ones may be reused (snapshot-holds.ts).
 */
const Reading = z.strictObject({ t: z.literal('reading'), dir: z.string().min(1).max(4096) });

export const ToWorkerSchema = z.discriminatedUnion('t', [
  /** reports after their COMMIT (before `begin`: the stored ones) */
  z.strictObject({ t: z.literal('reports'), reports: z.array(CountedWireSchema) }),
  /** all stored reports are sent: build the first snapshot */
  z.strictObject({ t: z.literal('begin') }),
  z.strictObject({
    t: z.literal('extras'),
    name: z.string().min(1).max(64),
    files: z.array(z.strictObject({ path: z.string(), bytes: Bytes })),
  }),
  z.strictObject({ t: z.literal('flush'), id: z.number().int() }),
  z.strictObject({ t: z.literal('close') }),
  Reading,
]);
export type ToWorker = z.infer<typeof ToWorkerSchema>;

export const WireFileSchema = z.strictObject({
  path: z.string(),
  etag: z.string(),
  contentType: z.string(),
  size: z.number().int().min(0),
  /** the bytes, if the receiver keeps this file in memory; else it reads it from the directory */
  bytes: Bytes.optional(),
});

/**
 * A snapshot's served files as the change from the previous one (served.ts `ServedDelta`): its
 * directory, the new or changed files, the paths gone; `full` starts from an empty table.
 */
export const WireDeltaSchema = z.strictObject({
  dir: z.string().min(1),
  full: z.boolean(),
  changed: z.array(WireFileSchema),
  removed: z.array(z.string()),
});

export const FromWorkerSchema = z.discriminatedUnion('t', [
  /** listening (if asked) and serving the previous run's snapshot, if there is one */
  z.strictObject({
    t: z.literal('ready'),
    publicUrl: z.string().nullable(),
    /** the previous run's snapshot, served until the first build of this run is out */
    previous: WireDeltaSchema.nullable(),
  }),
  z.strictObject({
    t: z.literal('published'),
    version: z.number().int(),
    lastSequence: z.number().int(),
    generatedAt: z.number(),
    manifestSha256: z.string().regex(/^[0-9a-f]{64}$/),
    served: WireDeltaSchema,
  }),
  z.strictObject({ t: z.literal('first'), ok: z.boolean() }),
  z.strictObject({ t: z.literal('flushed'), id: z.number().int() }),
  z.strictObject({ t: z.literal('closed') }),
]);
export type FromWorker = z.infer<typeof FromWorkerSchema>;

/** The public listener's thread (started by the publication thread with `--public-port`). */
export const ServeSetupSchema = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(0).max(65_535),
});
export type ServeSetup = z.infer<typeof ServeSetupSchema>;

export const ToServeSchema = z.discriminatedUnion('t', [
  /** the new snapshot, as the change from the one before */
  z.strictObject({ t: z.literal('served'), served: WireDeltaSchema }),
  z.strictObject({ t: z.literal('close') }),
]);
export type ToServe = z.infer<typeof ToServeSchema>;

export const FromServeSchema = z.discriminatedUnion('t', [
  z.strictObject({ t: z.literal('listening'), url: z.string() }),
  z.strictObject({ t: z.literal('closed') }),
  Reading,
]);
export type FromServe = z.infer<typeof FromServeSchema>;
