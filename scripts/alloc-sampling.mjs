/*
 * `node --import <checkout>/scripts/alloc-sampling.mjs …` (e.g. through WAHLKOFFER_SERVER_NODE_ARGS): samples
 * what the main thread allocates, garbage included — V8's sampling heap profiler with the objects
 * the collectors freed kept in the profile, which `--heap-prof` leaves out (it shows only what is
 * still alive at the end). The CPU profile says the collector is busy; this says who makes it so.
 * Writes `<WAHLKOFFER_ALLOC_DIR>/Alloc.<pid>.heapprofile` (default: the working directory) every
 * 5 s and at exit, starting after WAHLKOFFER_ALLOC_DELAY_MS (default 0: the start-up included),
 * one sample per WAHLKOFFER_ALLOC_INTERVAL bytes on average (default 16384). Summarise with
 * `npx tsx scripts/alloc-profile-summary.ts <file>`; Chrome's DevTools open the file as well.
 * Worker threads inherit the flag; only the main thread samples.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  const env = process.env;
  const file = join(env.WAHLKOFFER_ALLOC_DIR ?? '.', `Alloc.${process.pid}.heapprofile`);
  const session = new Session();
  session.connect();
  let started = false;
  const write = () => {
    if (!started) return;
    session.post('HeapProfiler.getSamplingProfile', (error, result) => {
      if (error === null) writeFileSync(file, JSON.stringify(result.profile));
    });
  };
  const start = () => {
    session.post('HeapProfiler.startSampling', {
      samplingInterval: Number(env.WAHLKOFFER_ALLOC_INTERVAL ?? 16384),
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    started = true;
    setInterval(write, 5000).unref();
  };
  const delay = Number(env.WAHLKOFFER_ALLOC_DELAY_MS ?? 0);
  if (delay > 0) setTimeout(start, delay).unref();
  else start();
  process.on('exit', write);
}
