/*
 * Run as a child process by heap-growth.test.ts: `node --expose-gc --import tsx <this> <percent>`
 * (percent < 0: V8's own growth). Keeps ~35 MB alive and makes ~1 GB of short-lived records that
 * survive a few scavenges (so they reach the old generation, as a server's per-report objects do),
 * in a worker thread with the publication thread's young generation and then in the main thread;
 * prints each one's live heap and the largest heap V8 let it reach, in MB.
 */
import * as v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import { limitHeapGrowth } from '../../../central-server/memory/heap-growth.ts';
import { THREAD_RESOURCE_LIMITS } from '../../../central-server/threads/entries.ts';

const percent = Number(process.argv[2]);
if (percent >= 0) limitHeapGrowth(percent);

const CHURN = `
  const gc = globalThis.gc;
  const live = [];
  for (let i = 0; i < 4e5; i++) live.push({ i, s: 'live' + i });
  gc();
  const liveMb = v8.getHeapStatistics().used_heap_size / 2 ** 20;
  let batch = [];
  let peakMb = 0;
  for (let i = 0; i < 1e7; i++) {
    batch.push({ i, s: 'x' + i });
    if (batch.length > 2e5) {
      batch = [];
      peakMb = Math.max(peakMb, v8.getHeapStatistics().total_heap_size / 2 ** 20);
    }
  }
  return { liveMb: Math.round(liveMb), peakMb: Math.round(peakMb), kept: live.length };`;

const worker = await new Promise<unknown>((resolve, reject) => {
  const w = new Worker(
    `const v8 = require('node:v8');
     require('node:worker_threads').parentPort.postMessage(new Function('v8', ${JSON.stringify(CHURN)})(v8));`,
    { eval: true, resourceLimits: THREAD_RESOURCE_LIMITS.publication },
  );
  w.once('message', (m) => {
    resolve(m);
    void w.terminate();
  });
  w.once('error', reject);
});
const main: unknown = new Function('v8', CHURN)(v8);
process.stdout.write(`${JSON.stringify({ worker, main })}\n`);
