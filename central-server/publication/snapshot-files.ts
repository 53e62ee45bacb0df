import {
  linkSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmdirSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

// What goes into one snapshot directory and how (snapshot-dir.ts decides which directory, when).

/**
 * A file to put into the next snapshot directory: new bytes, a new file written beforehand
 * (`staged`: moved in), or linked from the current one.
 */
export type DirFile = {
  readonly path: string;
  readonly bytes: Buffer | undefined;
  readonly staged?: string;
  /** the content's SHA-256: with it for every file, a superseded directory can be reused */
  readonly sha256?: string;
};

/**
 * What a snapshot directory holds: its files' paths and SHA-256 in the order they were given
 * (the builder keeps its files in one order, so the next snapshot's list lines up with it).
 */
export type Contents = { readonly paths: readonly string[]; readonly sha256: readonly string[] };

export const contentsOf = (files: readonly DirFile[]): Contents | undefined => {
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
 * replaced by a new one (its bytes, or its staged file moved in) or a link to the current snapshot's, and files no longer in
 * the snapshot go (with their folder, once empty). An existing name is always unlinked first and
 * new files are created exclusively (`wx`): its inode is shared with newer snapshots, which must
 * never change under their readers. A file is found in `had` at its own position (the lists line
 * up as long as no file comes or goes), else by an index made the first time one is not.
 */
export function update(
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
    // a staged file was created exclusively too, and nothing writes it after it was moved
    else if (f.staged !== undefined) renameSync(f.staged, target);
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
export function removeTree(dir: string): void {
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
