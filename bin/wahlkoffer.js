#!/usr/bin/env node
// Entry point of the `wahlkoffer` command. The sources are TypeScript, run through tsx
// (esbuild) so a checkout needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv);
