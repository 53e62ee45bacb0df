import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TransparencyError, verifyConsistency, verifyInclusion } from '../../transparency/index.ts';

/**
 * Every inclusion and consistency case of the transparency-dev/merkle test vectors
 * (https://github.com/transparency-dev/merkle, folder testdata/, Apache License 2.0), copied
 * unmodified from the workspace's shared/standards/rfc6962-vectors into
 * tests/fixtures/rfc6962-vectors (LICENSE beside them). Cases with wantErr: true must be refused.
 */
const ROOT = join(import.meta.dirname, '../fixtures/rfc6962-vectors/testdata');

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsonFiles(path);
    return name.endsWith('.json') ? [path] : [];
  });
}

const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

type InclusionCase = {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
};
type ConsistencyCase = {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
};

const load = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;
const inclusion = jsonFiles(join(ROOT, 'inclusion')).map((f) => [relative(ROOT, f), f] as const);
const consistency = jsonFiles(join(ROOT, 'consistency')).map(
  (f) => [relative(ROOT, f), f] as const,
);

/** Runs `fn`; returns the refusal code, or null if it accepted. Any other exception fails. */
function outcome(fn: () => void): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    if (error instanceof TransparencyError) return error.code;
    throw error;
  }
}

describe('the RFC 6962 vectors of transparency-dev/merkle', () => {
  it('are all present (none skipped silently)', () => {
    expect(inclusion.length).toBe(98);
    expect(consistency.length).toBe(98);
  });

  describe.each(inclusion)('inclusion %s', (_name, file) => {
    const c = load<InclusionCase>(file);
    it(`${c.wantErr ? 'is refused' : 'verifies'}: ${c.desc}`, () => {
      const code = outcome(() =>
        verifyInclusion(
          c.leafIdx,
          c.treeSize,
          b64(c.leafHash),
          (c.proof ?? []).map(b64),
          b64(c.root),
        ),
      );
      if (c.wantErr) expect(code).not.toBeNull();
      else expect(code).toBeNull();
    });
  });

  describe.each(consistency)('consistency %s', (_name, file) => {
    const c = load<ConsistencyCase>(file);
    it(`${c.wantErr ? 'is refused' : 'verifies'}: ${c.desc}`, () => {
      const code = outcome(() =>
        verifyConsistency(c.size1, c.size2, (c.proof ?? []).map(b64), b64(c.root1), b64(c.root2)),
      );
      if (c.wantErr) expect(code).not.toBeNull();
      else expect(code).toBeNull();
    });
  });
});
