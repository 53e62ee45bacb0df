import { createHash } from 'node:crypto';
import type { ResultsHeader } from './model.ts';

/** One file of a snapshot: its path inside the snapshot directory and its bytes. */
export type SnapshotFile = {
  readonly path: string;
  readonly bytes: Buffer;
  readonly contentType: string;
};

export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.p7s';
export const MANIFEST_FORMAT = 'wahlkoffer.publication-manifest/1';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml',
  '.css': 'text/css; charset=utf-8',
  '.p7s': 'application/pkcs7-signature',
  '.txt': 'text/plain; charset=utf-8',
  '.pem': 'application/x-pem-file',
};

export function contentTypeOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return CONTENT_TYPES[dot < 0 ? '' : path.slice(dot)] ?? 'application/octet-stream';
}

export const file = (path: string, content: string | Buffer): SnapshotFile => ({
  path,
  bytes: typeof content === 'string' ? Buffer.from(content, 'utf8') : content,
  contentType: contentTypeOf(path),
});

/**
 * A string's UTF-8 in a buffer of its own (not a slice of Node's pool). The large files every
 * build makes anew (results.json, the manifest) are sent to the main thread and the listener, each
 * as a copy of its own that is transferred (`deltaToWire`). They were in a SharedArrayBuffer
 * once, to cross without a copy: but V8 counts a SharedArrayBuffer in no thread's external
 * memory, so nothing made a thread collect the ones it no longer used — an idle main thread after
 * the night's last report kept every build's results.json (decision 0067, follow-up s11).
 */
export function ownUtf8(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text, 'utf8'));
  bytes.write(text, 'utf8');
  return bytes;
}

/** Buffers joined into one of its own (see `ownUtf8`). */
export function ownConcat(parts: readonly Uint8Array[]): Buffer {
  let length = 0;
  for (const p of parts) length += p.byteLength;
  const bytes = Buffer.allocUnsafeSlow(length);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.byteLength;
  }
  return bytes;
}

export const sha256Hex = (bytes: Uint8Array): string =>
  createHash('sha256').update(bytes).digest('hex');

/** A manifest line: every file of the snapshot but the manifest and its signature. */
export type ManifestEntry = {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
};

/**
 * manifest.json: the SHA-256 of every other file, sorted by path. It is what the publication key
 * signs (manifest.p7s), so one signature vouches for the whole snapshot.
 */
export function renderManifest(
  header: Pick<ResultsHeader, 'election' | 'generatedAt' | 'lastSequence'>,
  entries: readonly ManifestEntry[],
): SnapshotFile {
  const files = [...entries]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((e) => ({ path: e.path, size: e.size, sha256: e.sha256 }));
  const manifest = {
    format: MANIFEST_FORMAT,
    electionId: header.election.id,
    generatedAt: header.generatedAt.toISOString(),
    lastSequence: header.lastSequence,
    files,
  };
  return file(MANIFEST_FILE, `${JSON.stringify(manifest, null, 1)}\n`);
}

type CachedEntry = { readonly size: number; readonly sha256: string; readonly text: string };

/** An entry's text as `JSON.stringify(manifest, null, 1)` writes it inside `files`. */
const entryText = (e: ManifestEntry): string =>
  `  ${JSON.stringify({ path: e.path, size: e.size, sha256: e.sha256 }, null, 1).replaceAll('\n', '\n  ')}`;

/**
 * manifest.json made incrementally, byte for byte what `renderManifest` makes: each entry's text
 * is kept by path and made again only when the file's size or hash changes, and the sorted order
 * of the paths is kept while the set of paths stays the same. A build at national size changes
 * tens to hundreds of a snapshot's ~7,200 files; sorting and serialising all of them each time
 * was ~6 % of the publication thread (decision 0080, follow-up).
 */
export class ManifestRenderer {
  private readonly entries = new Map<string, CachedEntry>();
  private order: string[] = [];

  render(
    header: Pick<ResultsHeader, 'election' | 'generatedAt' | 'lastSequence'>,
    entries: readonly ManifestEntry[],
  ): SnapshotFile {
    let added = false;
    for (const e of entries) {
      const known = this.entries.get(e.path);
      if (known === undefined) added = true;
      else if (known.size === e.size && known.sha256 === e.sha256) continue;
      this.entries.set(e.path, { size: e.size, sha256: e.sha256, text: entryText(e) });
    }
    if (this.entries.size !== entries.length) {
      const paths = new Set(entries.map((e) => e.path));
      for (const path of this.entries.keys()) if (!paths.has(path)) this.entries.delete(path);
    }
    if (added || this.order.length !== this.entries.size) {
      this.order = [...this.entries.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    }
    const head = JSON.stringify(
      {
        format: MANIFEST_FORMAT,
        electionId: header.election.id,
        generatedAt: header.generatedAt.toISOString(),
        lastSequence: header.lastSequence,
        files: [],
      },
      null,
      1,
    );
    if (this.order.length === 0) return file(MANIFEST_FILE, ownUtf8(`${head}\n`));
    const lines = this.order.map((path) => this.entries.get(path)?.text ?? '');
    // the empty list is the last key: its "[]\n}" becomes the entries
    const text = `${head.slice(0, -4)}[\n${lines.join(',\n')}\n ]\n}\n`;
    return file(MANIFEST_FILE, ownUtf8(text));
  }
}

/**
 * Paths other parts may add to a snapshot (e.g. transparency/checkpoint.txt): inside a folder
 * (publication's own files all sit at the top, so they never collide), lowercase segments of
 * [a-z0-9._-] not starting with a dot and without "..", two to four deep.
 */
export const EXTRA_PATH =
  /^[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*(?:\/[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*){1,3}$/;
