import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The kit's process boundaries are enforced by lint (a file's imports decide where it may run):
 * these cases lint small sources as if they lay in each folder and expect the rule to fire.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? 'fatal');
}

describe('the kit’s process boundaries', () => {
  it.each([
    ['node:fs', "import { readFileSync } from 'node:fs';\nreadFileSync('x');\n"],
    ['electron', "import { ipcRenderer } from 'electron';\nvoid ipcRenderer;\n"],
  ])('keep %s out of the renderer', async (_name, code) => {
    expect(await ruleIds('koffer-app/renderer/app.ts', code)).toContain('no-restricted-imports');
    expect(await ruleIds('koffer-app/renderer/app.tsx', code)).toContain('no-restricted-imports');
  });

  it('keep Node and Electron out of the shared contract (the renderer imports it)', async () => {
    const code = "import { app } from 'electron';\nvoid app;\n";
    expect(await ruleIds('koffer-app/shared/x.ts', code)).toContain('no-restricted-imports');
  });

  it.each([
    ['node:child_process', "import { exec } from 'node:child_process';\nvoid exec;\n"],
    ['electron’s shell', "import { shell } from 'electron';\nvoid shell;\n"],
  ])('keep %s out of the preload', async (_name, code) => {
    expect(await ruleIds('koffer-app/preload/x.ts', code)).toContain('no-restricted-imports');
  });

  it('let the preload use contextBridge and ipcRenderer', async () => {
    const code =
      "import { contextBridge, ipcRenderer } from 'electron';\nvoid contextBridge;\nvoid ipcRenderer;\n";
    expect(await ruleIds('koffer-app/preload/x.ts', code)).toEqual([]);
  });

  it('keep main away from renderer code and the preload', async () => {
    for (const target of ['../renderer/app.ts', '../preload/preload.ts']) {
      const code = `import { x } from '${target}';\nvoid x;\n`;
      const ids = await ruleIds('koffer-app/main/x.ts', code);
      expect(
        ids.some((id) => id === 'boundaries/dependencies' || id === 'no-restricted-imports'),
      ).toBe(true);
    }
  });

  it('keep the renderer away from main', async () => {
    const code = "import { KitError } from '../main/error.ts';\nvoid KitError;\n";
    expect(await ruleIds('koffer-app/renderer/x.ts', code)).toContain('boundaries/dependencies');
  });
});
