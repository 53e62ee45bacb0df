import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { z } from 'zod';

// A thread entry for entries.test.ts: where it thinks it is, and a package import that works.
parentPort?.postMessage({
  here: dirname(fileURLToPath(import.meta.url)),
  zod: z.string().safeParse('x').success,
});
