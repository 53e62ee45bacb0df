import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildKoffer } from '../../scripts/build-koffer.ts';

const out = mkdtempSync(join(tmpdir(), 'koffer-build-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run koffer:build', () => {
  it('bundles main and preload so that they need nothing but Electron and Node', async () => {
    await buildKoffer(out);
    const preload = readFileSync(join(out, 'preload.cjs'), 'utf8');
    expect([...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
    const main = readFileSync(join(out, 'main.mjs'), 'utf8');
    const imports = new Set([...main.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]));
    for (const name of imports) expect(name === 'electron' || name!.startsWith('node:')).toBe(true);
    expect(imports.has('electron')).toBe(true);
    // no bundled copy of the renderer, no ipcRenderer in main
    expect(main).not.toContain('exposeInMainWorld');
    const pkg = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('main.mjs');
  }, 120_000);
});
