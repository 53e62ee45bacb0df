// Regenerates the screenshots of docs/guides/poll-worker.md from a real walkthrough
// (`npx tsx scripts/poll-worker-guide-images.ts`): the same run as `wahlkoffer kit walkthrough`,
// rendered at 0.6 scale so the committed PNGs stay small.
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWalkthrough } from '../cli/kit/walkthrough.ts';

const TARGET = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../docs/guides/img/poll-worker',
);

const out = await mkdtemp(path.join(os.tmpdir(), 'wahlkoffer-guide-'));
try {
  const result = await runWalkthrough({
    out,
    lang: 'de',
    deviceScaleFactor: 0.6,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  if (!result.accepted) throw new Error('the walkthrough did not end with a receipt');
  await rm(TARGET, { recursive: true, force: true });
  await mkdir(TARGET, { recursive: true });
  for (const file of await readdir(out)) {
    if (file.endsWith('.png')) await copyFile(path.join(out, file), path.join(TARGET, file));
  }
  process.stdout.write(`${TARGET}\n`);
} finally {
  await rm(out, { recursive: true, force: true });
}
