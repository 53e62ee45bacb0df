#!/usr/bin/env node
// Entry point of the `wahlkoffer` command. The sources are TypeScript, run through tsx
// (esbuild) so a checkout needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
const code = await main(process.argv);
process.exitCode = code;
// A failed command ends now, even if something it started (a worker thread, a database
// connection) is still open: nobody must take a hanging, failed server for a running one.
if (code !== 0) process.exit(code);
