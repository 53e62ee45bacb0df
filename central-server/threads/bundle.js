// Bundles TypeScript entries into one JavaScript file each with esbuild (which tsx brings), for
// the server's threads and its main thread: no loader hooks (one more V8 isolate per thread)
// and no transform caches at run time (docs/decisions/0067). Each bundle has its source map beside
// it (`<name>.mjs.map`, sources as absolute file URLs): node reads it only with
// --enable-source-maps, and scripts/cpu-profile-summary.ts uses it to name our source files in a
// profile (docs/decisions/0055). Plain JavaScript, because
// bin/wahlkoffer.js uses it before anything can load TypeScript. Types: bundle.d.ts.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The checkout (or installation) root: node_modules beside it resolves the bundles' packages. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = join(ROOT, '.cache', 'threads');

/**
 * Bundles each entry (name → path relative to ROOT) with its sources; packages stay imports,
 * resolved by node from ROOT/node_modules. The files are written content-addressed to
 * `.cache/threads/<hash>/<name>.mjs`, its source map as `<name>.mjs.map` (each written aside and
 * renamed, so a server starting at the same moment reads a whole file or none). Resolves with
 * name → file URL.
 */
export async function bundle(entries) {
  const esbuild = await import('esbuild');
  try {
    const result = await esbuild.build({
      entryPoints: Object.fromEntries(
        Object.entries(entries).map(([name, path]) => [name, join(ROOT, path)]),
      ),
      absWorkingDir: ROOT,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      // a dynamic import() becomes a chunk of its own, loaded when it runs: the packages only
      // such a chunk imports (Prisma's, for migrations and the audit export) are not loaded by
      // a server that never calls it (decision 0067, s7 follow-up)
      splitting: true,
      target: 'node20',
      write: false,
      outdir: OUT,
      outExtension: { '.js': '.mjs' },
      legalComments: 'none',
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'silent',
      plugins: [keepModuleUrls],
    });
    const hash = createHash('sha256');
    for (const f of result.outputFiles) hash.update(f.path).update(f.contents);
    const version = hash.digest('hex').slice(0, 16);
    const dir = join(OUT, version);
    await mkdir(dir, { recursive: true });
    // its modification time says when a process last started from it (pruning below)
    const now = new Date();
    await utimes(dir, now, now);
    const out = {};
    for (const f of result.outputFiles) {
      const name = relative(OUT, f.path);
      const target = join(dir, name);
      const contents = name.endsWith('.map') ? absoluteSources(f) : f.contents;
      const existing = await readFile(target).catch(() => undefined);
      if (existing === undefined || !existing.equals(contents)) {
        const aside = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}`;
        await writeFile(aside, contents);
        await rename(aside, target);
      }
      const entry = name.slice(0, -'.mjs'.length);
      if (name.endsWith('.mjs') && Object.hasOwn(entries, entry))
        out[entry] = pathToFileURL(target);
    }
    for (const entry of Object.keys(entries)) {
      if (out[entry] === undefined) throw new Error(`no bundle for ${entry}`);
    }
    // a checkout whose code changes leaves one directory per version behind: pruning is tidying,
    // so a failure of it never fails a start
    await pruneBundles(OUT, version, now.getTime()).catch(() => undefined);
    return out;
  } finally {
    // the service process is not needed any more; under vitest it may be vite's too, so it stays
    if (process.env.VITEST === undefined) await esbuild.stop();
  }
}

/** How many other bundle directories stay whatever their age, and for how long after their last use. */
export const KEEP_OTHERS = 3;
export const KEEP_USED_WITHIN_MS = 24 * 60 * 60 * 1000;

/**
 * Which bundle directories to remove, given each one's last use (a process started from it): never
 * the current one, never the `KEEP_OTHERS` used most recently, never one used within
 * `KEEP_USED_WITHIN_MS` — a server that started from it may still import one of its chunks when it
 * runs (a migration, an audit export), and a night is shorter than a day.
 */
export function bundlesToPrune(dirs, current, nowMs) {
  return dirs
    .filter((d) => d.name !== current)
    .sort((a, b) => b.usedMs - a.usedMs)
    .slice(KEEP_OTHERS)
    .filter((d) => nowMs - d.usedMs > KEEP_USED_WITHIN_MS)
    .map((d) => d.name);
}

/** Removes from `out` the bundle directories (16 hex digits, nothing else) `bundlesToPrune` names. */
export async function pruneBundles(out, current, nowMs) {
  const dirs = [];
  for (const entry of await readdir(out, { withFileTypes: true })) {
    if (!entry.isDirectory() || !/^[0-9a-f]{16}$/.test(entry.name)) continue;
    const info = await stat(join(out, entry.name)).catch(() => undefined);
    if (info !== undefined) dirs.push({ name: entry.name, usedMs: info.mtimeMs });
  }
  const gone = bundlesToPrune(dirs, current, nowMs);
  for (const name of gone) await rm(join(out, name), { recursive: true, force: true });
  return gone;
}

/**
 * A source map whose sources are absolute file URLs: esbuild writes them relative to the output
 * directory, and the bundle lands one directory deeper (`<hash>/`).
 */
function absoluteSources(file) {
  const map = JSON.parse(file.text);
  map.sources = map.sources.map((s) => pathToFileURL(resolve(dirname(file.path), s)).href);
  return Buffer.from(JSON.stringify(map));
}

/**
 * Each module keeps its own `import.meta.url` (and dirname, filename) in the bundle: the sources
 * find files beside them (design/, prisma/, the word list, the tsx bootstraps) as they do when
 * run from TypeScript.
 */
// spelled in two parts, so that this file, bundled itself, does not rewrite its own patterns
const META = ['import', 'meta'].join('.');
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(build) {
    build.onLoad({ filter: /\.(ts|js|mjs)$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes(META)) return undefined;
      const contents = source
        .replaceAll(`${META}.url`, JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll(`${META}.dirname`, JSON.stringify(dirname(args.path)))
        .replaceAll(`${META}.filename`, JSON.stringify(args.path));
      return { contents, loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
    });
  },
};
