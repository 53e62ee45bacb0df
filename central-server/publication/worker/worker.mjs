// Bootstrap of the publication thread: the sources are TypeScript, so the thread registers tsx
// itself (the main thread's loader hooks do not reach worker threads), then runs the worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker-main.ts');
