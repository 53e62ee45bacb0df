// Public surface of the kit's IPC contract: imported by main, preload and renderer alike.
export * from './reply.ts';
export * from './messages.ts';
export * from './schemas.ts';
export * from './channels.ts';
export * from './bridge.ts';
export * from './csp.ts';
