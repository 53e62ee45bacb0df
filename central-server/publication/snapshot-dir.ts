import {
  linkSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmdirSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { lstat, mkdir, readdir, readlink, rm, rmdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PublicationError } from './errors.ts';

/** A file to put into the next snapshot directory: new bytes, or linked from the current one. */
export type DirFile = { readonly path: string; readonly bytes: Buffer | undefined };

const SNAPSHOT_NAME = /^\d{10}$/;

/**
 * The snapshot directories behind `--publish-dir <P>`. Every snapshot is written completely into
 * `<P>.snapshots/<number>.tmp/` (unchanged files hard-linked from the current one), renamed to
 * `<P>.snapshots/<number>/`, and only then published by renaming a new symlink over `<P>`
 * (rename(2) is atomic): a reader that resolves `<P>` sees the old or the new snapshot whole,
 * never a half-written one. nginx or a CDN origin serves `<P>` as its root. Superseded
 * snapshots stay for `graceMs` (requests in flight finish) and are then removed.
 *
 * Writing and removing use the synchronous calls: this runs only in the publication thread,
 * whose event loop has nothing else to do meanwhile, and a snapshot at national size has
 * thousands of files — one promise and thread-pool round trip per file cost several times the
 * link(2) itself (decision 0080, follow-up).
 */
export class SnapshotDirectory {
  private readonly store: string;
  private current: { number: number; dir: string } | undefined;
  private readonly retired: { dir: string; at: number }[] = [];

  private constructor(
    private readonly link: string,
    private next: number,
    private readonly graceMs: number,
  ) {
    this.store = `${link}.snapshots`;
  }

  /** Prepares `<P>`: it may be missing, our symlink, or an empty directory (replaced). */
  static async open(publishDir: string, graceMs = 10_000): Promise<SnapshotDirectory> {
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
    const dir = new SnapshotDirectory(publishDir, Math.max(0, ...numbers) + 1, graceMs);
    // leftovers of an earlier run: half-written (.tmp) and old snapshots
    const keep = info?.isSymbolicLink() === true ? basename(await readlink(publishDir)) : '';
    for (const name of await readdir(store)) {
      if (name !== keep) await rm(join(store, name), { recursive: true, force: true });
    }
    // the snapshot still published from the earlier run is retired by the first new one
    if (SNAPSHOT_NAME.test(keep)) dir.current = { number: Number(keep), dir: join(store, keep) };
    return dir;
  }

  /** The directory of the snapshot published now (e.g. by the run before a restart). */
  get currentDir(): string | undefined {
    return this.current?.dir;
  }

  /**
   * Writes one snapshot and switches `<P>` to it; returns the snapshot's directory. (Async for
   * its callers' sake; the work is synchronous, see above.)
   */
  async publish(files: readonly DirFile[], now: number): Promise<string> {
    const number = this.next++;
    const name = String(number).padStart(10, '0');
    const dir = join(this.store, name);
    const tmp = `${dir}.tmp`;
    mkdirSync(tmp, { recursive: true });
    const madeDirs = new Set<string>();
    const from = this.current?.dir;
    for (const f of files) {
      // snapshot paths are plain relative names (publication's own, or EXTRA_PATH): no join
      const target = `${tmp}/${f.path}`;
      if (f.path.includes('/')) {
        const parent = dirname(target);
        if (!madeDirs.has(parent)) {
          mkdirSync(parent, { recursive: true });
          madeDirs.add(parent);
        }
      }
      if (f.bytes !== undefined) writeFileSync(target, f.bytes);
      else if (from !== undefined) linkSync(`${from}/${f.path}`, target);
      else throw new TypeError(`no bytes and no earlier snapshot for ${f.path}`);
    }
    renameSync(tmp, dir);
    const linkTmp = `${this.link}.${name}.tmp`;
    symlinkSync(join(basename(this.store), name), linkTmp);
    renameSync(linkTmp, this.link);
    if (this.current !== undefined) this.retired.push({ dir: this.current.dir, at: now });
    this.current = { number, dir };
    this.prune(now);
    return dir;
  }

  private prune(now: number): void {
    while (this.retired.length > 0 && now - (this.retired[0]?.at ?? now) >= this.graceMs) {
      const old = this.retired.shift();
      if (old !== undefined) removeTree(old.dir);
    }
  }
}

/**
 * Removes a snapshot directory: the file types come with the directory listing, so no lstat(2)
 * per file (as `rm -r` does); a directory already gone is fine.
 */
function removeTree(dir: string): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) removeTree(path);
    else unlinkSync(path);
  }
  rmdirSync(dir);
}
