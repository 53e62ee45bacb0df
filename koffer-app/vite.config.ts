import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * Builds the kit renderer into static files (index.html + hashed assets) that main serves from
 * app://kit/ and the Chromium harness from its own origin. Build output is never committed:
 * `npm run koffer:renderer` writes koffer-app/dist/renderer, tests and the walkthrough build into a
 * temporary folder (cli/kit/build-renderer.ts). docs/decisions/0072.
 */
export const RENDERER_ROOT = fileURLToPath(new URL('./renderer', import.meta.url));

export default defineConfig({
  root: RENDERER_ROOT,
  base: './',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('./renderer/index.html', import.meta.url)),
        print: fileURLToPath(new URL('./renderer/print.html', import.meta.url)),
      },
    },
    // koffer-app/dist/renderer/: where main serves app://kit/ from (gitignored)
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // one file per kind is plenty for a local app; no inline scripts (CSP script-src 'self')
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'chrome120',
  },
});
