/**
 * Bundles the kit for Electron into koffer-app/dist/ (the directory electron-builder packs):
 *   main.mjs     the main process (ESM; everything but `electron` bundled — no node_modules)
 *   preload.cjs  the sandboxed preload (CommonJS, as Electron requires for sandboxed preloads)
 *   package.json name, version and entry point of the packaged app
 * The renderer's build (foureyes, issue 7 step 5) writes koffer-app/dist/renderer/.
 *
 *   npm run koffer:build
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const KOFFER_DIST = join(root, 'koffer-app', 'dist');

export async function buildKoffer(outDir = KOFFER_DIST): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node22',
    logLevel: 'warning',
    legalComments: 'none',
  } as const;
  await build({
    ...common,
    entryPoints: [join(root, 'koffer-app', 'main', 'electron', 'electron-main.ts')],
    outfile: join(outDir, 'main.mjs'),
    format: 'esm',
    external: ['electron'],
    // CommonJS dependencies inside an ES module bundle need a `require`
    banner: {
      js: "import { createRequire as __kitRequire } from 'node:module'; const require = __kitRequire(import.meta.url);",
    },
  });
  await build({
    ...common,
    entryPoints: [join(root, 'koffer-app', 'preload', 'preload.ts')],
    outfile: join(outDir, 'preload.cjs'),
    format: 'cjs',
    // runs in every renderer start: small and fast to parse
    minify: true,
    external: ['electron'],
  });
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
  await writeFile(
    join(outDir, 'package.json'),
    `${JSON.stringify({ name: 'wahlkoffer-kit', productName: 'Wahlkoffer', version: pkg.version, main: 'main.mjs', private: true, license: 'MIT' }, null, 2)}\n`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildKoffer();
  process.stdout.write(`built ${KOFFER_DIST}\n`);
}
