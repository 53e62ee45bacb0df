/**
 * `npm run koffer -- --bundle <file> [--data-dir <dir>]`: builds the kit (main, preload; the
 * renderer through `npm run koffer:renderer` when present) and starts it in Electron.
 *
 * `npm ci` does not download Electron's binary (its install script is denied in package.json
 * `allowScripts`: the download comes from outside the npm registry and must not break a clean
 * install). This command fetches it on demand with Electron's own installer (honouring
 * ELECTRON_MIRROR / ELECTRON_CACHE); where that is impossible it says so and points to the
 * Chromium mode, which runs the same renderer and services.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KOFFER_DIST, buildKoffer } from './build-koffer.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const NO_ELECTRON_MESSAGE = `Electron's binary is not installed, and it could not be downloaded here.
npm ci skips that download on purpose (package.json allowScripts: electron=false).
- With access to Electron's downloads (or a mirror in ELECTRON_MIRROR), run this command again.
- Without it, the same renderer and main-process services run in Debian's Chromium:
    npm run --silent wahlkoffer -- kit walkthrough --out <dir>
  (docs/kit.md, "Running the kit").`;

/**
 * The path of Electron's binary, downloading it first when missing. `install` runs Electron's
 * own installer (node_modules/electron/install.js) and returns whether it succeeded.
 */
export function ensureElectron(
  electronDir: string,
  install: () => boolean = () => runInstaller(electronDir),
): { ok: true; binary: string } | { ok: false; message: string } {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) {
    process.stderr.write('Electron binary not installed yet; fetching it now …\n');
    if (!install() || !existsSync(pathFile)) return { ok: false, message: NO_ELECTRON_MESSAGE };
  }
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { ok: true, binary } : { ok: false, message: NO_ELECTRON_MESSAGE };
}

function runInstaller(electronDir: string): boolean {
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    stdio: 'inherit',
    timeout: 10 * 60_000,
  });
  return result.status === 0;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (!args.includes('--bundle') && !args.includes('--data-dir')) {
    process.stderr.write('usage: npm run koffer -- --bundle <file> [--data-dir <dir>]\n');
    return 2;
  }
  await buildKoffer();
  spawnSync('npm', ['run', '--silent', '--if-present', 'koffer:renderer'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (!existsSync(join(KOFFER_DIST, 'renderer', 'index.html'))) {
    process.stderr.write(
      `The renderer is not built (${join(KOFFER_DIST, 'renderer')} is missing).\n`,
    );
    return 1;
  }
  const electronDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const electron = ensureElectron(electronDir);
  if (!electron.ok) {
    process.stderr.write(`${electron.message}\n`);
    return 1;
  }
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(electron.binary, [KOFFER_DIST, ...args], { stdio: 'inherit', env });
  return new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
