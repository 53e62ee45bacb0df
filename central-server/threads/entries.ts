import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../logger.ts';
import { ROOT, bundle } from './bundle.js';

/**
 * The server's worker threads, each by its TypeScript entry and the tsx bootstrap (.mjs) it ran
 * through before (kept as the fallback when no bundle can be built).
 */
export const THREADS = {
  verify: {
    entry: 'central-server/intake/verify-worker-main.ts',
    tsx: 'central-server/intake/verify-worker.mjs',
  },
  sign: {
    entry: 'central-server/intake/sign-worker-main.ts',
    tsx: 'central-server/intake/sign-worker.mjs',
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
 * Each worker thread's young generation (decision 0067). V8's default is 16 MB semi-spaces (a young
 * generation of ~48 MB) that an isolate holds once it has been busy. The threads that allocate per
 * report — verification and publication — keep that default: with 2 MB their objects were promoted
 * early and the old-generation collector worked for it (a national night at 2.30 against 1.60 CPU ms
 * per report, decision 0067's follow-up of 2026-12-07 noon). The receipt signer, the SQLite writer,
 * the public listener and the migrations allocate little and keep 2 MB semi-spaces. The main
 * thread has V8's default.
 * Never start the server with `--max-semi-space-size`: that V8 flag overrides these limits in every
 * thread (tests/central-server/threads/young-generation.test.ts).
 */
export const THREAD_RESOURCE_LIMITS: Readonly<
  Record<ThreadName, { readonly maxYoungGenerationSizeMb: number }>
> = {
  verify: { maxYoungGenerationSizeMb: 48 },
  publication: { maxYoungGenerationSizeMb: 48 },
  sign: { maxYoungGenerationSizeMb: 6 },
  writer: { maxYoungGenerationSizeMb: 6 },
  serve: { maxYoungGenerationSizeMb: 6 },
  migrate: { maxYoungGenerationSizeMb: 6 },
};
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
  return bundle(
    Object.fromEntries(Object.entries(THREADS).map(([name, t]) => [name, t.entry])) as Record<
      ThreadName,
      string
    >,
  );
}
