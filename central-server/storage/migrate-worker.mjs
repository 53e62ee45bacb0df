// Bootstrap of the migration thread when the threads cannot be bundled: registers tsx (loader
// hooks do not reach worker threads), then runs the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./migrate-worker-main.ts');
