// Regenerates the screenshots of the live view in docs/guides/office.md
// (`npx tsx scripts/office-live-guide-images.ts`): runs the Chromium test of the live view
// (tests/central-server/office/live/browser.test.ts: a real server, a station's real client, a
// logged-in clerk) and copies the screenshots it took into docs/guides/img/office-live/.
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts/office-live');
const TARGET = path.join(ROOT, 'docs/guides/img/office-live');
/** the steps the guide shows */
const SHOWN = ['2-erste-meldung.png', '3-ablehnung-und-warnungen.png', '4-ohne-script-telefon.png'];

await rm(ARTIFACTS, { recursive: true, force: true });
const run = spawnSync(
  process.execPath,
  [
    path.join(ROOT, 'node_modules/vitest/vitest.mjs'),
    'run',
    'tests/central-server/office/live/browser.test.ts',
  ],
  { cwd: ROOT, stdio: 'inherit' },
);
if (run.status !== 0) throw new Error(`the browser test failed (exit ${String(run.status)})`);
const taken = await readdir(ARTIFACTS);
await rm(TARGET, { recursive: true, force: true });
await mkdir(TARGET, { recursive: true });
for (const file of SHOWN) {
  if (!taken.includes(file)) throw new Error(`the test took no ${file}`);
  await copyFile(path.join(ARTIFACTS, file), path.join(TARGET, file));
}
process.stdout.write(`${TARGET}\n`);
