#!/usr/bin/env node
// Entry point of the `wahlkoffer` command. The sources are TypeScript, run through tsx
// (esbuild) so a checkout needs no build step. `wahlkoffer server` runs for hours and its memory
// counts: it runs one esbuild bundle of the CLI instead (built at start, ~0.5 s, into .cache/;
// no tsx loader thread and transform cache beside the server; docs/decisions/0067), and falls
// back to tsx if that bundle cannot be built.
let main;
if (process.argv[2] === 'server') {
  try {
    const { bundle } = await import('../central-server/threads/bundle.js');
    ({ main } = await import((await bundle({ cli: 'cli/main.ts' })).cli.href));
  } catch (error) {
    console.warn(`wahlkoffer: running through tsx (the CLI bundle failed: ${error})`);
  }
}
if (main === undefined) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../cli/main.ts'));
}
const code = await main(process.argv);
process.exitCode = code;
// A failed command ends now, even if something it started (a worker thread, a database
// connection) is still open: nobody must take a hanging, failed server for a running one.
if (code !== 0) process.exit(code);
