import path from 'node:path';
import { fileURLToPath } from 'node:url';

const KOFFER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../koffer-app');

/** Where `npm run koffer:renderer` writes the renderer, and where main serves app://kit/ from. */
export const DEFAULT_RENDERER_DIR = path.join(KOFFER_DIR, 'dist', 'renderer');

/**
 * Builds the kit renderer (React + Vite, koffer-app/vite.config.ts) into `outDir`. Build output
 * is never committed (docs/decisions/0072): the walkthrough and the browser tests build into a
 * temporary folder, `npm run koffer:renderer` into koffer-app/dist/renderer.
 */
export async function buildRenderer(outDir: string): Promise<string> {
  const { build } = await import('vite');
  await build({
    configFile: path.join(KOFFER_DIR, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir: path.resolve(outDir), emptyOutDir: true },
  });
  return path.resolve(outDir);
}
