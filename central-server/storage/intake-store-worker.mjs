// Bootstrap of the SQLite writer thread: registers tsx (loader hooks do not reach worker
// threads), then runs the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./intake-store-worker-main.ts');
