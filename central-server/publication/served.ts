import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { BuiltFile } from './builder.ts';
import { fileHeaders, type ServedFile } from './serve.ts';
import { MANIFEST_FILE, SIGNATURE_FILE, contentTypeOf, sha256Hex } from './snapshot.ts';

/** Files kept in memory first; then the smallest, up to the memory budget. */
const HOT = [
  'results.json',
  'index.html',
  'index.en.html',
  'style.css',
  MANIFEST_FILE,
  SIGNATURE_FILE,
];

/** The served files of a new snapshot: bytes in memory up to the budget, the rest from `dir`. */
export function servedFromBuild(
  files: readonly BuiltFile[],
  dir: string,
  o: {
    readonly previous: ReadonlyMap<string, ServedFile> | undefined;
    readonly common: Readonly<Record<string, string>>;
    readonly memoryBytes: number;
  },
): Map<string, ServedFile> {
  let budget = o.memoryBytes;
  const rank = (f: BuiltFile) => (HOT.includes(f.path) ? -1 : f.size);
  const out = new Map<string, ServedFile>();
  for (const f of [...files].sort((a, b) => rank(a) - rank(b))) {
    const known = o.previous?.get(f.path);
    const head = { etag: `"${f.sha256.slice(0, 32)}"`, contentType: f.contentType, size: f.size };
    let bytes = f.bytes ?? (known?.etag === head.etag ? known.bytes : undefined);
    if (bytes !== undefined && bytes.length <= budget) budget -= bytes.length;
    else bytes = undefined;
    out.set(f.path, {
      ...head,
      ...fileHeaders(o.common, head),
      bytes,
      diskPath: join(dir, f.path),
    });
  }
  return out;
}

const ManifestSchema = z.object({
  files: z.array(
    z.object({
      path: z.string(),
      size: z.number().int(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
});

/** The files of a snapshot on disk (after a restart): served from disk until the first build. */
export async function servedFromDisk(
  dir: string,
  common: Readonly<Record<string, string>>,
): Promise<Map<string, ServedFile> | undefined> {
  const text = await readFile(join(dir, MANIFEST_FILE), 'utf8').catch(() => undefined);
  const parsed = text === undefined ? undefined : ManifestSchema.safeParse(JSON.parse(text));
  if (parsed?.success !== true) return undefined;
  const out = new Map<string, ServedFile>();
  const entries = [
    ...parsed.data.files,
    {
      path: MANIFEST_FILE,
      size: Buffer.byteLength(text ?? ''),
      sha256: sha256Hex(Buffer.from(text ?? '')),
    },
  ];
  for (const e of entries) {
    const head = {
      etag: `"${e.sha256.slice(0, 32)}"`,
      contentType: contentTypeOf(e.path),
      size: e.size,
    };
    out.set(e.path, {
      ...head,
      ...fileHeaders(common, head),
      bytes: undefined,
      diskPath: join(dir, e.path),
    });
  }
  return out;
}

/** A snapshot's file as it crosses a thread boundary (bytes only when they changed). */
export type WireServed = {
  readonly path: string;
  readonly etag: string;
  readonly contentType: string;
  readonly size: number;
  readonly diskPath: string;
  readonly bytes?: Uint8Array;
};

/** The served files of a new snapshot from its wire form: unchanged files keep their bytes. */
export function servedFromWire(
  wire: readonly WireServed[],
  previous: ReadonlyMap<string, ServedFile> | undefined,
  common: Readonly<Record<string, string>>,
): Map<string, ServedFile> {
  const out = new Map<string, ServedFile>();
  for (const f of wire) {
    const head = { etag: f.etag, contentType: f.contentType, size: f.size };
    const known = previous?.get(f.path);
    const bytes =
      f.bytes !== undefined
        ? Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength)
        : known?.etag === f.etag
          ? known.bytes
          : undefined;
    out.set(f.path, { ...head, ...fileHeaders(common, head), bytes, diskPath: f.diskPath });
  }
  return out;
}

/**
 * The wire form of served files for a thread that already holds `sent` (path → ETag): bytes
 * only for files that changed since and that `keep` wants in memory.
 */
export function servedToWire(
  files: ReadonlyMap<string, ServedFile>,
  sent: Map<string, string>,
  keep: (path: string) => boolean,
): WireServed[] {
  const out: WireServed[] = [];
  for (const [path, f] of files) {
    const changed = sent.get(path) !== f.etag;
    const bytes =
      changed && f.bytes !== undefined && keep(path) ? new Uint8Array(f.bytes) : undefined;
    if (bytes !== undefined || !keep(path) || f.bytes === undefined) sent.set(path, f.etag);
    out.push({
      path,
      etag: f.etag,
      contentType: f.contentType,
      size: f.size,
      diskPath: f.diskPath,
      ...(bytes === undefined ? {} : { bytes }),
    });
  }
  return out;
}
