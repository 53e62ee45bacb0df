import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { BundleCandidate } from '../../shared/index.ts';
import { KitError } from '../error.ts';

export type BundleSource = {
  /** what the renderer may choose from (ids only; paths stay in main) */
  list(): Promise<BundleCandidate[]>;
  /** the path behind a candidate id offered by `list` */
  resolve(id: string): Promise<string>;
};

const BUNDLE_NAME = /bundle.*\.json$/i;

/**
 * Bundle files the kit may be provisioned from: the files named on the command line
 * (`--bundle`) and files called `*bundle*.json` at most two levels below the removable-media
 * directories (`/media`, `/run/media` on Debian). The renderer never sends a path: it picks a
 * candidate by id, so a compromised renderer cannot make main read arbitrary files.
 */
export function createBundleSource(options: {
  readonly files: readonly string[];
  readonly mediaDirs: readonly string[];
}): BundleSource {
  const scan = async (): Promise<Map<string, string>> => {
    const paths = [...options.files.map((f) => resolve(f))];
    for (const dir of options.mediaDirs) paths.push(...(await findBundles(dir, 3)));
    const found = new Map<string, string>();
    for (const path of paths) {
      if (await isFile(path)) found.set(idOf(path), path);
    }
    return found;
  };
  return {
    async list() {
      return [...(await scan())].map(([id, path]) => ({ id, label: label(path) }));
    },
    async resolve(id) {
      const path = (await scan()).get(id);
      if (path === undefined) throw new KitError('BUNDLE_NOT_FOUND');
      return path;
    },
  };
}

const idOf = (path: string) => `b-${createHash('sha256').update(path).digest('hex').slice(0, 16)}`;
const label = (path: string) => `${basename(join(path, '..'))}/${basename(path)}`;

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function findBundles(dir: string, depth: number): Promise<string[]> {
  if (depth === 0) return [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return []; // no stick plugged in, or not readable
  }
  const out: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isFile() && BUNDLE_NAME.test(entry.name)) out.push(path);
    else if (entry.isDirectory()) out.push(...(await findBundles(path, depth - 1)));
  }
  return out;
}
