import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Where a V8 profile's function comes from, shared by the CPU and allocation summaries
 * (scripts/cpu-profile-summary.ts, scripts/alloc-profile-summary.ts).
 */

/** A profile node's position as V8 gives it (0-based line and column). */
export type CallFrame = {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
};

/** The bucket a source URL belongs to: a package, a Node module, or our file (repository path). */
export function sourceOf(url: string, fn: string): string {
  if (url === '') return fn.startsWith('(') ? fn : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg !== null) return `npm:${pkg[1]}`;
  if (url.startsWith('node:')) return url;
  const own =
    /\/((?:tests\/)?(?:central-server|pki|election|api|cli|transparency|koffer-app|bench|scripts)\/.*)$/.exec(
      url,
    );
  return own === null ? url : own[1]!;
}

/** The source map beside a bundle (`<file>.map`), read once per URL; undefined without one. */
const maps = new Map<string, SourceMap | undefined>();
function sourceMapOf(url: string): SourceMap | undefined {
  if (!maps.has(url)) {
    let map: SourceMap | undefined;
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8')));
    } catch {
      map = undefined; // not a file, or no map beside it
    }
    maps.set(url, map);
  }
  return maps.get(url);
}

/**
 * Where a profile's function really comes from: through the bundle's source map when there is
 * one (V8 gives 0-based line and column, as the map takes them), else as V8 names it.
 */
export function originalPosition(frame: CallFrame): { url: string; lineNumber: number } {
  const { url, lineNumber, columnNumber } = frame;
  const map = url.startsWith('file:') ? sourceMapOf(url) : undefined;
  const entry = map?.findEntry(lineNumber, columnNumber);
  if (entry === undefined || !('originalSource' in entry)) return { url, lineNumber };
  return { url: entry.originalSource, lineNumber: entry.originalLine };
}
