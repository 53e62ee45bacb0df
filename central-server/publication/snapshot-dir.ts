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
export type DirFile = {
  readonly path: string;
  readonly bytes: Buffer | undefined;
  /** the content's SHA-256: with it for every file, an expired snapshot directory is reused */
  readonly sha256?: string;
};

/**
 * What a snapshot directory holds: its files' paths and SHA-256 in the order they were given
 * (the builder keeps its files in one order, so the next snapshot's list lines up with it).
 */
type Contents = { readonly paths: readonly string[]; readonly sha256: readonly string[] };

/** A snapshot directory the writer made, and what it holds if every hash was known. */
type Written = { readonly dir: string; readonly contents: Contents | undefined };

const SNAPSHOT_NAME = /^\d{10}$/;

/** superseded directories past their grace time kept for reuse beyond the one a build takes */
const SPARES = 2;

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
  private current: Written | undefined;
  private readonly retired: (Written & { readonly at: number })[] = [];
  /** directories past their grace time kept for reuse, oldest first (at most `SPARES`) */
  private spares: Written[] = [];

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
    if (SNAPSHOT_NAME.test(keep)) dir.current = { dir: join(store, keep), contents: undefined };
    return dir;
  }

  /** The directory of the snapshot published now (e.g. by the run before a restart). */
  get currentDir(): string | undefined {
    return this.current?.dir;
  }

  /**
   * Writes one snapshot and switches `<P>` to it; returns the snapshot's directory. (Async for
   * its callers' sake; the work is synchronous, see above.) A superseded directory past its grace
   * time is not removed file by file but becomes the next one's `.tmp`: only the files that differ
   * are replaced, so a build costs system calls in proportion to what changed since then. The
   * youngest such directory is taken (the fewest files differ); the others past their grace stay
   * as spares for a build when none expires (builds do not end at an even pace, so one build
   * sees two directories expire and the next none), up to `SPARES`, and older ones are removed.
   */
  async publish(files: readonly DirFile[], now: number): Promise<string> {
    const name = String(this.next++).padStart(10, '0');
    const dir = join(this.store, name);
    const tmp = `${dir}.tmp`;
    const contents = contentsOf(files);
    // without hashes (ours or theirs) a directory cannot be reused: it is removed
    const free: Written[] = [];
    for (const old of [...this.spares, ...this.expired(now)]) {
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
    const linkTmp = `${this.link}.${name}.tmp`;
    symlinkSync(join(basename(this.store), name), linkTmp);
    renameSync(linkTmp, this.link);
    if (this.current !== undefined) this.retired.push({ ...this.current, at: now });
    this.current = { dir, contents };
    return dir;
  }

  /** The superseded snapshots past their grace time (no request can be reading them). */
  private expired(now: number): Written[] {
    const out: Written[] = [];
    while (this.retired.length > 0 && now - (this.retired[0]?.at ?? now) >= this.graceMs) {
      const old = this.retired.shift();
      if (old !== undefined) out.push(old);
    }
    return out;
  }
}

const contentsOf = (files: readonly DirFile[]): Contents | undefined => {
  const paths: string[] = [];
  const sha256: string[] = [];
  for (const f of files) {
    if (f.sha256 === undefined) return undefined;
    paths.push(f.path);
    sha256.push(f.sha256);
  }
  return { paths, sha256 };
};

/**
 * Makes `tmp`, which holds `had`, hold `files`: a file with the same content stays, any other is
 * replaced by a new one (its bytes) or a link to the current snapshot's, and files no longer in
 * the snapshot go (with their folder, once empty). An existing name is always unlinked first and
 * new files are created exclusively (`wx`): its inode is shared with newer snapshots, which must
 * never change under their readers. A file is found in `had` at its own position (the lists line
 * up as long as no file comes or goes), else by an index made the first time one is not.
 */
function update(
  tmp: string,
  had: Contents,
  files: readonly DirFile[],
  from: string | undefined,
): void {
  let index: Map<string, number> | undefined;
  let kept = 0;
  const madeDirs = new Set<string>();
  for (const [i, f] of files.entries()) {
    const at = had.paths[i] === f.path ? i : (index ??= positions(had.paths)).get(f.path);
    const before = at === undefined ? undefined : had.sha256[at];
    if (before !== undefined) kept += 1;
    if (before !== undefined && before === f.sha256) continue;
    // snapshot paths are plain relative names (publication's own, or EXTRA_PATH): no join
    const target = `${tmp}/${f.path}`;
    if (before !== undefined) unlinkSync(target);
    else if (f.path.includes('/')) {
      const parent = dirname(target);
      if (!madeDirs.has(parent)) {
        mkdirSync(parent, { recursive: true });
        madeDirs.add(parent);
      }
    }
    if (f.bytes !== undefined) writeFileSync(target, f.bytes, { flag: 'wx' });
    else if (from !== undefined) linkSync(`${from}/${f.path}`, target);
    else throw new TypeError(`no bytes and no earlier snapshot for ${f.path}`);
  }
  if (kept < had.paths.length) removeGone(tmp, had, files);
}

const positions = (paths: readonly string[]) => new Map(paths.map((p, i) => [p, i]));

/** Unlinks the files of `had` that are not in `files`, and the folders that leaves empty. */
function removeGone(tmp: string, had: Contents, files: readonly DirFile[]): void {
  const now = new Set(files.map((f) => f.path));
  const emptied = new Set<string>();
  for (const path of had.paths) {
    if (now.has(path)) continue;
    unlinkSync(`${tmp}/${path}`);
    for (let at = path.lastIndexOf('/'); at > 0; at = path.lastIndexOf('/', at - 1)) {
      emptied.add(path.slice(0, at));
    }
  }
  // a folder whose files are all gone goes too, as it would not be in a fresh directory
  for (const folder of [...emptied].sort((a, b) => b.length - a.length)) {
    try {
      rmdirSync(`${tmp}/${folder}`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOTEMPTY') throw error;
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
