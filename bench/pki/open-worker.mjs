// Worker entry: worker threads do not inherit tsx's loader, so register it, then load the TS.
import { register } from 'tsx/esm/api';

register();
await import('./open-worker.ts');
