import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';
import type { Logger } from '../logger.ts';

/** The checkout (or installation) root: node_modules beside it resolves the bundles' packages. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The server's worker threads, each by its TypeScript entry and the tsx bootstrap (.mjs) it ran
 * through before (kept as the fallback when no bundle can be built).
 */
export const THREADS = {
  verify: {
    entry: 'central-server/intake/verify-worker-main.ts',
    tsx: 'central-server/intake/verify-worker.mjs',
  },
  writer: {
    entry: 'central-server/storage/intake-store-worker-main.ts',
    tsx: 'central-server/storage/intake-store-worker.mjs',
  },
  publication: {
    entry: 'central-server/publication/worker/worker-main.ts',
    tsx: 'central-server/publication/worker/worker.mjs',
  },
  serve: {
    entry: 'central-server/publication/worker/serve-main.ts',
    tsx: 'central-server/publication/worker/serve.mjs',
  },
  migrate: {
    entry: 'central-server/storage/migrate-worker-main.ts',
    tsx: 'central-server/storage/migrate-worker.mjs',
  },
} as const;
export type ThreadName = keyof typeof THREADS;

/**
 * Every worker thread's young generation is capped: V8's default (16 MB semi-spaces, ~48 MB
 * young generation per isolate) is memory that each of the four threads holds once it has been
 * busy. 2 MB semi-spaces cost no measurable CPU per report (decision 0067); the main thread gets
 * the same with `--max-semi-space-size=2` (bin/wahlkoffer.js, cli/demo/server-process.ts).
 */
export const THREAD_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 6 } as const;
export type ThreadEntries = Readonly<Record<ThreadName, URL>>;

let entries: Promise<ThreadEntries> | undefined;

/**
 * Where each worker thread's code is: one JavaScript file per thread, bundled by esbuild from the
 * TypeScript sources once per process (~0.3 s), instead of a tsx bootstrap that registers its own
 * loader in every thread (one more V8 isolate each, ~25–60 MB; docs/decisions/0067). The bundles
 * are written content-addressed to `.cache/threads/<hash>/` in the checkout (not in git), so
 * concurrent servers never read a half-written file. If bundling fails (no esbuild, read-only
 * checkout), the threads run through tsx as before and the reason is logged.
 */
export function threadEntries(logger?: Logger): Promise<ThreadEntries> {
  entries ??= bundleThreads().catch((error: unknown) => {
    logger?.warn({ err: error }, 'worker threads run through tsx: bundling them failed');
    return fromSources();
  });
  return entries;
}

function fromSources(): ThreadEntries {
  const out = {} as Record<ThreadName, URL>;
  for (const [name, t] of Object.entries(THREADS)) {
    out[name as ThreadName] = pathToFileURL(join(ROOT, t.tsx));
  }
  return out;
}

async function bundleThreads(): Promise<ThreadEntries> {
  const esbuild = await import('esbuild');
  try {
    const result = await esbuild.build({
      entryPoints: Object.fromEntries(
        Object.entries(THREADS).map(([name, t]) => [name, join(ROOT, t.entry)]),
      ),
      absWorkingDir: ROOT,
      bundle: true,
      // node_modules stay imports: node resolves them from the bundle's folder up to ROOT
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      outdir: join(ROOT, '.cache', 'threads'),
      outExtension: { '.js': '.mjs' },
      sourcemap: false,
      legalComments: 'none',
      logLevel: 'silent',
      plugins: [keepModuleUrls()],
    });
    const hash = createHash('sha256');
    for (const f of result.outputFiles) hash.update(f.path).update(f.contents);
    const dir = join(ROOT, '.cache', 'threads', hash.digest('hex').slice(0, 16));
    await mkdir(dir, { recursive: true });
    const out = {} as Record<ThreadName, URL>;
    for (const f of result.outputFiles) {
      const name = relative(join(ROOT, '.cache', 'threads'), f.path);
      const target = join(dir, name);
      const existing = await readFile(target).catch(() => undefined);
      if (existing === undefined || !existing.equals(f.contents)) {
        // written aside, then renamed: another server starting now reads the whole file or none
        const aside = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}`;
        await writeFile(aside, f.contents);
        await rename(aside, target);
      }
      out[name.replace(/\.mjs$/, '') as ThreadName] = pathToFileURL(target);
    }
    for (const name of Object.keys(THREADS)) {
      if (out[name as ThreadName] === undefined) throw new Error(`no bundle for thread ${name}`);
    }
    return out;
  } finally {
    // esbuild's service process is not needed any more; under vitest it is vite's too, so it stays
    if (process.env.VITEST === undefined) await esbuild.stop();
  }
}

/**
 * Each module keeps its own `import.meta.url` (and dirname, filename) in the bundle: the sources
 * find files beside them (design/, prisma/, the word list) as they do when run from TypeScript.
 */
function keepModuleUrls(): Plugin {
  return {
    name: 'keep-module-urls',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta')) return undefined;
        const contents = source
          .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
          .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
          .replaceAll('import.meta.filename', JSON.stringify(args.path));
        return { contents, loader: 'ts' };
      });
    },
  };
}
