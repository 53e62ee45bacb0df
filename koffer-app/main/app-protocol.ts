import { readFile, realpath } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { APP_ORIGIN, KIT_CSP } from '../shared/index.ts';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

const SECURITY_HEADERS = {
  'content-security-policy': KIT_CSP,
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
} as const;

/**
 * Serves the renderer's built files under app://kit/ (Electron checklist: a custom protocol,
 * not file://). Only GET, only files below `root` (no `..`, no symlinks out), only known file
 * types; every answer carries the CSP. A plain function of a fetch Request, so it is tested
 * under Node with real files; Electron's `protocol.handle('app', …)` calls it.
 */
export function createAppProtocolHandler(root: string): (request: Request) => Promise<Response> {
  const rootDir = resolve(root);
  return async (request) => {
    const url = new URL(request.url);
    // scheme and host, not URL.origin (opaque "null" for a non-special scheme like app:)
    if (request.method !== 'GET' || `${url.protocol}//${url.host}` !== APP_ORIGIN) {
      return answer(404);
    }
    const pathname = url.pathname === '/' ? '/index.html' : decodeURIComponent(url.pathname);
    const type = CONTENT_TYPES[extname(pathname).toLowerCase()];
    const candidate = resolve(rootDir, `.${pathname}`);
    if (type === undefined || !candidate.startsWith(rootDir + sep)) return answer(404);
    try {
      const real = await realpath(candidate);
      if (!real.startsWith((await realpath(rootDir)) + sep)) return answer(404);
      const body = await readFile(real);
      return new Response(body, {
        status: 200,
        headers: { ...SECURITY_HEADERS, 'content-type': type },
      });
    } catch {
      return answer(404);
    }
  };
}

function answer(status: number): Response {
  return new Response(null, { status, headers: SECURITY_HEADERS });
}
