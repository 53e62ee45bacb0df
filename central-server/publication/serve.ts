import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { ServedTable } from './served.ts';

/** One file as the server hands it out. */
export type ServedFile = {
  /** its name in the snapshot (and in the snapshot's directory) */
  readonly path: string;
  readonly etag: string;
  readonly contentType: string;
  readonly size: number;
  /** in memory (the hot files); otherwise read from the snapshot's directory */
  readonly bytes: Buffer | undefined;
  /** every header of a 200 answer, built once per snapshot (no work per request) */
  readonly headers: Readonly<Record<string, string>>;
  /** the headers of a 304 answer */
  readonly notModified: Readonly<Record<string, string>>;
};

/** The answer headers of one file, computed when the snapshot is published. */
export function fileHeaders(
  common: Readonly<Record<string, string>>,
  f: { etag: string; contentType: string; size: number },
): Pick<ServedFile, 'headers' | 'notModified'> {
  return {
    headers: {
      ...common,
      etag: f.etag,
      'content-type': f.contentType,
      'content-length': String(f.size),
    },
    notModified: { ...common, etag: f.etag },
  };
}

/**
 * Which snapshot directories a serving thread may still read: its table's, and an older one while
 * a request's file there is not open yet (once open, the file stays readable whatever happens to
 * its name). The publication thread reuses a superseded snapshot's directory only when no thread
 * may read it (snapshot-holds.ts); `tell` is called with the oldest directory the thread may read
 * whenever the thread switches tables and whenever that oldest one changes.
 */
export class DirectoryReads {
  private table: string | undefined;
  private readonly opening = new Map<string, number>();
  private told: string | undefined;

  constructor(private readonly tell: (oldest: string) => void) {}

  /** The thread now serves the snapshot in `dir` (told every time: a new publication thread). */
  switched(dir: string): void {
    this.table = dir;
    this.told = undefined;
    this.update();
  }

  /** A request starts reading a file of `dir`; call the result once it is open (or failed). */
  begin(dir: string): () => void {
    this.opening.set(dir, (this.opening.get(dir) ?? 0) + 1);
    let open = false;
    return () => {
      if (open) return;
      open = true;
      const left = (this.opening.get(dir) ?? 1) - 1;
      if (left > 0) this.opening.set(dir, left);
      else {
        this.opening.delete(dir);
        this.update();
      }
    };
  }

  private update(): void {
    // snapshot directories are `<store>/<10 digits>`: the oldest sorts first
    let oldest = this.table;
    for (const dir of this.opening.keys()) if (oldest === undefined || dir < oldest) oldest = dir;
    if (oldest === undefined || oldest === this.told) return;
    this.told = oldest;
    this.tell(oldest);
  }
}

/** Where the public pages live on the server (the snapshot's files under it, index.html at `/`). */
export const PUBLIC_PREFIX = '/ergebnisse';

/**
 * Headers of every published file. The pages have no script and one stylesheet of their own, so
 * the CSP allows nothing else; the data is public, so any site may fetch it (CORS). A short
 * max-age lets a CDN absorb the load while a new snapshot still reaches readers within seconds;
 * clients and caches revalidate with the ETag (a 304 costs no body).
 */
export function publicationHeaders(maxAgeSeconds: number): Record<string, string> {
  return {
    'cache-control': `public, max-age=${maxAgeSeconds}`,
    'content-security-policy':
      "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'access-control-allow-origin': '*',
  };
}

/** The file a request path names under `prefix`, or undefined (only exact names exist). */
export function requestedFile(url: string | undefined, prefix: string): string | undefined {
  const path = (url ?? '').split('?')[0] ?? '';
  if (path === `${prefix}/`) return 'index.html';
  if (!path.startsWith(`${prefix}/`)) return undefined;
  return path.slice(prefix.length + 1);
}

function ifNoneMatch(req: IncomingMessage, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (header === undefined) return false;
  return header === '*' || header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * The fast path for the public results: answered before Express (no middleware per request),
 * from the bytes of the current snapshot in memory or, for large files, from its directory.
 * Returns false when the request is not for the publication (Express handles it then). On the
 * publication thread's own listener the prefix is empty: the snapshot is the whole site.
 */
export function servePublication(
  req: IncomingMessage,
  res: ServerResponse,
  table: ServedTable | undefined,
  headers: Readonly<Record<string, string>>,
  prefix: string = PUBLIC_PREFIX,
  reads?: DirectoryReads,
): boolean {
  const url = req.url ?? '';
  if (prefix !== '' && (url === prefix || url.startsWith(`${prefix}?`))) {
    res.writeHead(308, { location: `${prefix}/` }).end();
    return true;
  }
  const name = requestedFile(url, prefix);
  if (name === undefined) return false;
  const found = table?.files.get(name);
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', ...headers }).end();
    return true;
  }
  if (table === undefined || found === undefined) {
    res
      .writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...headers })
      .end('Not found\n');
    return true;
  }
  if (ifNoneMatch(req, found.etag)) {
    res.writeHead(304, found.notModified).end();
    return true;
  }
  res.writeHead(200, found.headers);
  if (method === 'HEAD') res.end();
  else if (found.bytes !== undefined) res.end(found.bytes);
  else {
    const opened = reads?.begin(table.dir);
    createReadStream(join(table.dir, found.path))
      .once('open', () => opened?.())
      .once('close', () => opened?.())
      .on('error', () => res.destroy())
      .pipe(res);
  }
  return true;
}
