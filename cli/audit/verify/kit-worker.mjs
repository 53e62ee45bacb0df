// Bootstrap of an `audit verify` worker thread: the sources are TypeScript, so the worker
// registers tsx itself (the main thread's loader hooks do not reach worker threads), then runs it.
import { register } from 'tsx/esm/api';

register();
await import('./kit-worker-main.ts');
