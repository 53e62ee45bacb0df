// Regenerates the screenshots of docs/guides/office.md ("Die Wahlnacht im Dashboard") from the
// night browser test (`npx tsx scripts/office-guide-images.ts`): it runs the test in real
// Chromium against a real server, rendered at 0.6 scale so the committed PNGs stay small, and
// copies its screenshots (test-artifacts/office-night/office-*.png) to docs/guides/img/.
import { spawnSync } from 'node:child_process';
import { copyFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TEST = 'tests/central-server/office/web/office-night.browser.test.ts';
const ARTIFACTS = path.join(ROOT, 'test-artifacts/office-night');
const TARGET = path.join(ROOT, 'docs/guides/img');

await rm(ARTIFACTS, { recursive: true, force: true });
const run = spawnSync('npx', ['vitest', 'run', TEST], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, OFFICE_NIGHT_SCALE: '0.6' },
});
if (run.status !== 0)
  throw new Error(`the night test failed (exit ${run.status}); no image copied`);
for (const file of await readdir(TARGET)) {
  if (/^office-.*\.png$/.test(file)) await rm(path.join(TARGET, file));
}
for (const file of (await readdir(ARTIFACTS)).sort()) {
  if (/^office-.*\.png$/.test(file)) {
    await copyFile(path.join(ARTIFACTS, file), path.join(TARGET, file));
    process.stdout.write(`${path.join(TARGET, file)}\n`);
  }
}
