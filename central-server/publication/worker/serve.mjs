// Bootstrap of the public listener's thread (TypeScript sources: register tsx, then run it).
import { register } from 'tsx/esm/api';

register();
await import('./serve-main.ts');
