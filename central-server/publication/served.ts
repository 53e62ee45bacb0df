import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { BuiltFile } from './builder.ts';
import { fileHeaders, type ServedFile } from './serve.ts';
import { MANIFEST_FILE, SIGNATURE_FILE, contentTypeOf, sha256Hex } from './snapshot.ts';

/**
 * The files of one snapshot as a server thread serves them: the snapshot's directory once, and per
 * file an entry that stays the same object for as long as the file (and whether its bytes are in
 * memory) does not change. A new snapshot is a new table object, swapped in one assignment: a
 * reader sees one snapshot whole, and a request in flight keeps the entry (and directory) it took.
 */
export type ServedTable = {
  readonly dir: string;
  readonly files: ReadonlyMap<string, ServedFile>;
};

/**
 * From one table to the next: the new directory, the entries that are new or changed (content,
 * or bytes no longer in memory), and the paths that are gone. `full`: start from an empty table
 * (the first one of a thread). At national size a build changes tens of a snapshot's thousands
 * of files, so this is what crosses the thread boundaries (decision 0080, follow-up).
 */
export type ServedDelta = {
  readonly dir: string;
  readonly full: boolean;
  readonly changed: readonly ServedFile[];
  readonly removed: readonly string[];
};

/** Files kept in memory first; then the smallest, up to the memory budget. */
const HOT = [
  'results.json',
  'index.html',
  'index.en.html',
  'style.css',
  MANIFEST_FILE,
  SIGNATURE_FILE,
];
const IS_HOT = new Set(HOT);

export const etagOf = (sha256: string): string => `"${sha256.slice(0, 32)}"`;

function entry(
  path: string,
  head: { etag: string; contentType: string; size: number },
  bytes: Buffer | undefined,
  common: Readonly<Record<string, string>>,
): ServedFile {
  return { path, ...head, ...fileHeaders(common, head), bytes };
}

/** The table a delta leads to from `table` (a new object; `table` itself is left as it was). */
export function applyDelta(table: ServedTable | undefined, delta: ServedDelta): ServedTable {
  const files = delta.full || table === undefined ? new Map() : new Map(table.files);
  for (const path of delta.removed) files.delete(path);
  for (const f of delta.changed) files.set(f.path, f);
  return { dir: delta.dir, files };
}

/**
 * The publication thread's served tables, one per snapshot, made incrementally: a build's changed
 * files get new entries, the others keep theirs. The memory budget holds as before — the hot
 * files first, then the smallest, while they fit (a file whose bytes are not at hand, i.e. an
 * unchanged one already served from disk, stays there) — but is found by walking a size order
 * kept up to date per changed file, only as far as the budget reaches.
 */
export class ServedTables {
  private table: ServedTable | undefined;
  /** paths other than the hot ones, by size, then path */
  private readonly bySize: string[] = [];
  /** paths whose bytes are in memory in the current table */
  private resident = new Set<string>();
  /** the files of the build being applied (sizes not yet in the table), while `next` runs */
  private sizes: ReadonlyMap<string, BuiltFile> = new Map();

  constructor(
    private readonly o: {
      readonly common: Readonly<Record<string, string>>;
      readonly memoryBytes: number;
    },
    initial?: ServedTable,
  ) {
    if (initial === undefined) return;
    this.table = initial;
    for (const [path, f] of initial.files) {
      if (!IS_HOT.has(path)) this.bySize.push(path);
      if (f.bytes !== undefined) this.resident.add(path);
    }
    this.bySize.sort((a, b) => this.compare(a, b));
  }

  get current(): ServedTable | undefined {
    return this.table;
  }

  /** The table of a new snapshot in `dir` with every file of `files`, and its delta. */
  next(
    files: readonly BuiltFile[],
    dir: string,
  ): { readonly table: ServedTable; readonly delta: ServedDelta } {
    const previous = this.table?.files;
    const built = new Map<string, BuiltFile>();
    let present = 0;
    for (const f of files) {
      const known = previous?.get(f.path);
      if (known !== undefined) present += 1;
      // new bytes of an unchanged file (the first build after a restart) are worth taking in;
      // a changed file may come without bytes (a large one, written to its file as it was made)
      const same =
        known !== undefined &&
        known.etag === etagOf(f.sha256) &&
        (f.bytes === undefined || known.bytes !== undefined);
      if (!same) built.set(f.path, f);
    }
    const removed =
      previous === undefined || present === previous.size ? [] : removedFrom(previous, files);
    const next = previous === undefined ? new Map<string, ServedFile>() : new Map(previous);
    for (const path of removed) next.delete(path);
    this.reorder(built, removed);
    const inMemory = this.budgeted((path) => {
      const b = built.get(path);
      return b === undefined ? next.get(path)?.bytes : b.bytes;
    });
    const changed: ServedFile[] = [];
    for (const [path, f] of built) {
      const head = { etag: etagOf(f.sha256), contentType: f.contentType, size: f.size };
      changed.push(entry(path, head, inMemory.has(path) ? f.bytes : undefined, this.o.common));
    }
    for (const path of this.resident) {
      const known = next.get(path);
      if (built.has(path) || inMemory.has(path) || known === undefined) continue;
      changed.push({ ...known, bytes: undefined }); // no longer within the budget
    }
    for (const f of changed) next.set(f.path, f);
    const table = { dir, files: next };
    this.table = table;
    this.resident = inMemory;
    this.sizes = new Map();
    return { table, delta: { dir, full: previous === undefined, changed, removed } };
  }

  /** Keeps `bySize` in order: changed and removed paths out (at their old size), changed in. */
  private reorder(built: ReadonlyMap<string, BuiltFile>, removed: readonly string[]): void {
    for (const path of [...removed, ...built.keys()]) {
      const size = this.table?.files.get(path)?.size;
      if (size === undefined || IS_HOT.has(path)) continue;
      const at = this.search(path, size);
      if (this.bySize[at] === path) this.bySize.splice(at, 1);
    }
    this.sizes = built;
    for (const [path, f] of built) {
      if (!IS_HOT.has(path)) this.bySize.splice(this.search(path, f.size), 0, path);
    }
  }

  /** Which paths hold their bytes: hot files first, then by size while they fit. */
  private budgeted(bytesOf: (path: string) => Buffer | undefined): Set<string> {
    let budget = this.o.memoryBytes;
    const taken = new Set<string>();
    const take = (path: string): boolean => {
      const bytes = bytesOf(path);
      if (bytes === undefined) return true; // served from disk; costs no budget
      if (bytes.length > budget) return false;
      budget -= bytes.length;
      taken.add(path);
      return true;
    };
    for (const path of HOT) take(path);
    for (const path of this.bySize) if (!take(path)) break; // the rest are no smaller
    return taken;
  }

  private sizeOf(path: string): number {
    return this.sizes.get(path)?.size ?? this.table?.files.get(path)?.size ?? 0;
  }

  private compare(a: string, b: string): number {
    return this.sizeOf(a) - this.sizeOf(b) || (a < b ? -1 : a > b ? 1 : 0);
  }

  /** The index where `path` of `size` is (or belongs) in `bySize`. */
  private search(path: string, size: number): number {
    let lo = 0;
    let hi = this.bySize.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = this.bySize[mid] ?? '';
      const d = this.sizeOf(other) - size || (other < path ? -1 : other > path ? 1 : 0);
      if (d < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function removedFrom(previous: ReadonlyMap<string, ServedFile>, files: readonly BuiltFile[]) {
  const paths = new Set(files.map((f) => f.path));
  return [...previous.keys()].filter((p) => !paths.has(p));
}

/** A table as a delta from nothing (for a thread that holds no table yet). */
export const wholeTable = (table: ServedTable): ServedDelta => ({
  dir: table.dir,
  full: true,
  changed: [...table.files.values()],
  removed: [],
});

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
): Promise<ServedTable | undefined> {
  const text = await readFile(join(dir, MANIFEST_FILE), 'utf8').catch(() => undefined);
  const parsed = text === undefined ? undefined : ManifestSchema.safeParse(JSON.parse(text));
  if (parsed?.success !== true) return undefined;
  const files = new Map<string, ServedFile>();
  const entries = [
    ...parsed.data.files,
    {
      path: MANIFEST_FILE,
      size: Buffer.byteLength(text ?? ''),
      sha256: sha256Hex(Buffer.from(text ?? '')),
    },
  ];
  for (const e of entries) {
    const head = { etag: etagOf(e.sha256), contentType: contentTypeOf(e.path), size: e.size };
    files.set(e.path, entry(e.path, head, undefined, common));
  }
  return { dir, files };
}

/** A served file as it crosses a thread boundary (its bytes only if the receiver keeps them). */
export type WireServed = {
  readonly path: string;
  readonly etag: string;
  readonly contentType: string;
  readonly size: number;
  readonly bytes?: Uint8Array;
};

/** A delta as it crosses a thread boundary. */
export type WireDelta = {
  readonly dir: string;
  readonly full: boolean;
  readonly changed: WireServed[];
  readonly removed: string[];
};

/**
 * The wire form of a delta for a thread that keeps in memory the bytes of the files `keep`
 * names (and that the publication thread has in memory); it serves the others from disk. Each
 * file's bytes are a copy in an ArrayBuffer of its own, to be moved, not cloned, to the receiver
 * (`transferOf`): there they are external memory that its collector counts, so the copies it no
 * longer needs are collected however little else the thread does (decision 0067, follow-up s11).
 */
export function deltaToWire(delta: ServedDelta, keep: (path: string) => boolean): WireDelta {
  return {
    dir: delta.dir,
    full: delta.full,
    removed: [...delta.removed],
    changed: delta.changed.map((f) => ({
      path: f.path,
      etag: f.etag,
      contentType: f.contentType,
      size: f.size,
      ...(f.bytes !== undefined && keep(f.path) ? { bytes: new Uint8Array(f.bytes) } : {}),
    })),
  };
}

/** The buffers of a wire delta made by `deltaToWire`, for `postMessage`'s transfer list. */
export const transferOf = (wire: WireDelta): ArrayBuffer[] =>
  wire.changed.flatMap((f) => (f.bytes === undefined ? [] : [f.bytes.buffer as ArrayBuffer]));

/**
 * The deltas of the snapshots that went out since a thread last made its table, as one delta:
 * a thread that serves only now and then (the main thread's `/ergebnisse/`, next to the kits'
 * reports) takes them in when a request reads the table, not per snapshot. During a national
 * burst a snapshot changes hundreds of files every few hundred milliseconds, and making their
 * entries (headers included) was ~2 % of the main thread's time and ~3 KB of its garbage per
 * report (decision 0055, s8). Later wins: a path changed twice keeps its last entry, a path
 * removed and added again is changed; a full delta starts over.
 */
export class PendingDeltas {
  private dir: string | undefined;
  private full = false;
  private readonly changed = new Map<string, WireServed>();
  private readonly removed = new Set<string>();

  add(delta: WireDelta): void {
    if (delta.full) {
      this.full = true;
      this.changed.clear();
      this.removed.clear();
    }
    this.dir = delta.dir;
    for (const path of delta.removed) {
      this.changed.delete(path);
      this.removed.add(path);
    }
    for (const f of delta.changed) {
      this.removed.delete(f.path);
      this.changed.set(f.path, f);
    }
  }

  /** One delta for everything added since the last `take`, or undefined if nothing was. */
  take(): WireDelta | undefined {
    if (this.dir === undefined) return undefined;
    const delta: WireDelta = {
      dir: this.dir,
      full: this.full,
      changed: [...this.changed.values()],
      removed: [...this.removed],
    };
    this.dir = undefined;
    this.full = false;
    this.changed.clear();
    this.removed.clear();
    return delta;
  }
}

/** The delta a wire form stands for, with the receiving thread's entries (headers made once). */
export function deltaFromWire(
  wire: WireDelta,
  common: Readonly<Record<string, string>>,
): ServedDelta {
  return {
    dir: wire.dir,
    full: wire.full,
    removed: wire.removed,
    changed: wire.changed.map((f) => {
      const head = { etag: f.etag, contentType: f.contentType, size: f.size };
      const bytes =
        f.bytes === undefined
          ? undefined
          : Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength);
      return entry(f.path, head, bytes, common);
    }),
  };
}
