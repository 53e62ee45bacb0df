import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler } from '../../../koffer-app/main/app-protocol.ts';
import { KIT_CSP } from '../../../koffer-app/shared/index.ts';

const base = mkdtempSync(join(tmpdir(), 'kit-protocol-'));
const root = join(base, 'renderer');
mkdirSync(join(root, 'assets'), { recursive: true });
writeFileSync(join(root, 'index.html'), '<!doctype html><title>Wahlkoffer</title>');
writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(base, 'secret.json'), '{"key":"secret"}');
symlinkSync(join(base, 'secret.json'), join(root, 'link.json'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const handle = createAppProtocolHandler(root);
const get = (url: string, method = 'GET') => handle(new Request(url, { method }));

describe('the app:// protocol', () => {
  it('serves the renderer with the CSP and the right content type', async () => {
    const index = await get('app://kit/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(KIT_CSP);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(await index.text()).toContain('Wahlkoffer');
    const script = await get('app://kit/assets/app.js');
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it.each([
    ['a path out of the root', 'app://kit/%2e%2e/secret.json'],
    ['an encoded separator', 'app://kit/..%2fsecret.json'],
    ['a symlink out of the root', 'app://kit/link.json'],
    ['a missing file', 'app://kit/missing.js'],
    ['an unknown file type', 'app://kit/index.exe'],
    ['another host', 'app://other/index.html'],
  ])('answers 404 to %s', async (_name, url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toBe(KIT_CSP);
  });

  it('answers 404 to anything but GET', async () => {
    expect((await get('app://kit/index.html', 'POST')).status).toBe(404);
  });

  it('denies everything the CSP does not need', () => {
    expect(KIT_CSP).toContain("default-src 'none'");
    expect(KIT_CSP).toContain("connect-src 'none'");
    expect(KIT_CSP).not.toContain('unsafe-inline');
    expect(KIT_CSP).not.toContain('unsafe-eval');
  });
});
