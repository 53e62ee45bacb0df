import { mkdirSync, renameSync, symlinkSync } from 'node:fs';
import {
  lstat,
  mkdir,
  readdir,
  readlink,
  rename,
  rm,
  rmdir,
  symlink,
  unlink,
} from 'node:fs/promises';
import { basename, join } from 'node:path';
import { PublicationError } from './errors.ts';
import { contentsOf, removeTree, update, type Contents, type DirFile } from './snapshot-files.ts';
import { SnapshotHolds } from './snapshot-holds.ts';

export type { DirFile } from './snapshot-files.ts';

/** A snapshot directory the writer made, and what it holds if every hash was known. */
type Written = { readonly dir: string; readonly contents: Contents | undefined };

const SNAPSHOT_NAME = /^\d{10}$/;

/** superseded directories nobody reads kept for reuse beyond the one a build takes */
const SPARES = 2;

/**
 * How long a superseded snapshot stays at least: nginx resolves `<P>` inside each open(2) and
 * then holds the file, so this only covers a request between the link and the file (decision
 * 0080, follow-up s7; was 10 s for every reader, see `SnapshotHolds`). At national rate builds
 * start ~1 s apart: with 1 s a directory is free two builds after it was superseded, with 2 s it
 * was three (a third more files to replace).
 */
export const DEFAULT_GRACE_MS = 1_000;

/** How often `<P>.mirror` moves on at most, and how long the snapshot it left stays. */
export const DEFAULT_MIRROR_MS = 10_000;

/** A superseded snapshot a reader still holds this long after is released all the same. */
export const MAX_HOLD_MS = 60_000;

export type SnapshotDirectoryOptions = {
  /** the shortest time a superseded snapshot stays (`DEFAULT_GRACE_MS`) */
  readonly graceMs?: number;
  /**
   * the server threads that read files from the snapshot directories; each tells `reading`
   * which it may still read, and until then holds every one (none: the grace alone)
   */
  readonly readers?: readonly string[];
  /** how often `<P>.mirror` moves on, and how long the snapshot it left stays */
  readonly mirrorMs?: number;
  /** a superseded snapshot released only because a reader held it `MAX_HOLD_MS` */
  readonly onOverdue?: (dir: string) => void;
};

/** The number of a snapshot directory (its name), or undefined for any other path. */
export function snapshotNumber(dir: string): number | undefined {
  const name = basename(dir);
  return SNAPSHOT_NAME.test(name) ? Number(name) : undefined;
}

/**
 * The snapshot directories behind `--publish-dir <P>`. Every snapshot is written completely into
 * `<P>.snapshots/<number>.tmp/` (unchanged files hard-linked from the current one), renamed to
 * `<P>.snapshots/<number>/`, and only then published by renaming a new symlink over `<P>`
 * (rename(2) is atomic): a reader that resolves `<P>` sees the old or the new snapshot whole,
 * never a half-written one. nginx or a CDN origin serves `<P>` as its root; mirrors copy
 * `<P>.mirror`. A superseded snapshot stays while anyone may read it (`SnapshotHolds`), and is
 * then reused or removed.
 *
 * Writing and removing use the synchronous calls: this runs only in the publication thread,
 * whose event loop has nothing else to do meanwhile, and a snapshot at national size has
 * thousands of files — one promise and thread-pool round trip per file cost several times the
 * link(2) itself (decision 0080, follow-up).
 */
export class SnapshotDirectory {
  private readonly store: string;
  private current: Written | undefined;
  private readonly holds: SnapshotHolds<Written>;
  /** directories nobody reads kept for reuse, oldest first (at most `SPARES`) */
  private spares: Written[] = [];

  private constructor(
    private readonly link: string,
    private next: number,
    private readonly options: SnapshotDirectoryOptions,
  ) {
    this.store = `${link}.snapshots`;
    this.holds = new SnapshotHolds({
      graceMs: options.graceMs ?? DEFAULT_GRACE_MS,
      readers: options.readers ?? [],
      mirrorMs: options.mirrorMs ?? DEFAULT_MIRROR_MS,
      maxHoldMs: MAX_HOLD_MS,
    });
  }

  /** Prepares `<P>`: it may be missing, our symlink, or an empty directory (replaced). */
  static async open(
    publishDir: string,
    options: SnapshotDirectoryOptions = {},
  ): Promise<SnapshotDirectory> {
    const info = await lstat(publishDir).catch(() => undefined);
    if (info !== undefined && !info.isSymbolicLink()) {
      const empty = info.isDirectory() && (await readdir(publishDir)).length === 0;
      if (!empty) {
        throw new PublicationError(
          'PUBLISH_DIR_INVALID',
          `${publishDir} exists and is not a snapshot link of the server; remove it or choose another --publish-dir`,
        );
      }
      await rmdir(publishDir);
    }
    const store = `${publishDir}.snapshots`;
    await mkdir(store, { recursive: true });
    const numbers = (await readdir(store)).filter((n) => SNAPSHOT_NAME.test(n)).map(Number);
    const dir = new SnapshotDirectory(publishDir, Math.max(0, ...numbers) + 1, options);
    // leftovers of an earlier run: half-written (.tmp) and old snapshots
    const keep = info?.isSymbolicLink() === true ? basename(await readlink(publishDir)) : '';
    // the mirror link names the one snapshot kept, or goes
    const mirror = `${publishDir}.mirror`;
    if ((await lstat(mirror).catch(() => undefined))?.isSymbolicLink() === true) {
      if (SNAPSHOT_NAME.test(keep)) {
        await rm(`${mirror}.tmp`, { force: true });
        await symlink(join(basename(store), keep), `${mirror}.tmp`);
        await rename(`${mirror}.tmp`, mirror);
      } else await unlink(mirror);
    }
    for (const name of await readdir(store)) {
      if (name !== keep) await rm(join(store, name), { recursive: true, force: true });
    }
    // the snapshot still published from the earlier run is retired by the first new one
    if (SNAPSHOT_NAME.test(keep)) dir.current = { dir: join(store, keep), contents: undefined };
    return dir;
  }

  /**
   * Where a build writes its large files before they are moved into its snapshot (staging.ts):
   * in the store, so on the same file system, and removed with the other leftovers at a start.
   */
  get stagingDir(): string {
    return join(this.store, 'staging');
  }

  /** The directory of the snapshot published now (e.g. by the run before a restart). */
  get currentDir(): string | undefined {
    return this.current?.dir;
  }

  /** `reader` now reads only from `dir` and later snapshots (see `SnapshotHolds`). */
  reading(reader: string, dir: string): void {
    const number = snapshotNumber(dir);
    if (number !== undefined) this.holds.reading(reader, number);
  }

  /** A reader that is gone holds nothing. */
  forget(reader: string): void {
    this.holds.forget(reader);
  }

  /** In how many ms `<P>.mirror` may catch up with `<P>` (undefined: it names the same). */
  mirrorDueIn(now: number): number | undefined {
    return this.holds.mirrorDueIn(now);
  }

  /** Points `<P>.mirror` at the snapshot `<P>` names, if it is due (`mirrorDueIn` is 0). */
  catchUpMirror(now: number): void {
    const number = this.holds.moveMirror(now);
    if (number !== undefined)
      this.switchLink(`${this.link}.mirror`, String(number).padStart(10, '0'));
  }

  /**
   * Writes one snapshot and switches `<P>` to it; returns the snapshot's directory. (Async for
   * its callers' sake; the work is synchronous, see above.) A superseded directory nobody may
   * read any more is not removed file by file but becomes the next one's `.tmp`: only the files
   * that differ are replaced, so a build costs system calls in proportion to what changed since
   * then — with the server's threads moving on within a build, what changed in the last two
   * builds. The youngest such directory is taken (the fewest files differ); the others stay as
   * spares for a build when none is free (builds do not end at an even pace), up to `SPARES`,
   * and older ones are removed.
   */
  async publish(files: readonly DirFile[], now: number): Promise<string> {
    const number = this.next++;
    const name = String(number).padStart(10, '0');
    const dir = join(this.store, name);
    const tmp = `${dir}.tmp`;
    const contents = contentsOf(files);
    const released = this.holds.release(now);
    for (const old of released.overdue) this.options.onOverdue?.(old.dir);
    // without hashes (ours or theirs) a directory cannot be reused: it is removed
    const free: Written[] = [];
    for (const old of [...this.spares, ...released.overdue, ...released.free]) {
      if (contents === undefined || old.contents === undefined) removeTree(old.dir);
      else free.push(old);
    }
    const reused = free.pop();
    for (const old of free.splice(0, Math.max(0, free.length - SPARES))) removeTree(old.dir);
    this.spares = free;
    const from = this.current?.dir;
    try {
      if (reused?.contents !== undefined) {
        renameSync(reused.dir, tmp);
        update(tmp, reused.contents, files, from);
      } else {
        mkdirSync(tmp, { recursive: true });
        update(tmp, { paths: [], sha256: [] }, files, from);
      }
      renameSync(tmp, dir);
    } catch (error) {
      // a half-written directory is of no use to anyone (the next build starts from a new
      // builder, decision 0080): gone now rather than at the next start
      try {
        removeTree(tmp);
      } catch {
        // the start of the next run removes leftover .tmp directories
      }
      throw error;
    }
    this.switchLink(this.link, name);
    if (this.holds.published(number, now)) this.switchLink(`${this.link}.mirror`, name);
    const before = this.current;
    if (before !== undefined) this.holds.retire(before, snapshotNumber(before.dir) ?? 0, now);
    this.current = { dir, contents };
    return dir;
  }

  /** Points `link` at snapshot `name`: a new symlink renamed over it (atomic). */
  private switchLink(link: string, name: string): void {
    const linkTmp = `${link}.${name}.tmp`;
    symlinkSync(join(basename(this.store), name), linkTmp);
    renameSync(linkTmp, link);
  }
}
