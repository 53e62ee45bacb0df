// Bootstrap of the receipt-signing thread: the sources are TypeScript, so the worker registers
// tsx itself (the main thread's loader hooks do not reach worker threads), then runs the worker.
import { register } from 'tsx/esm/api';

register();
await import('./sign-worker-main.ts');
