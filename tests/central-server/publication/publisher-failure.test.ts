import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { indexElection } from '../../../election/index.ts';
import { Publisher, type SnapshotDirectory } from '../../../central-server/publication/index.ts';
import { counted, generated, publisherBasics } from './helpers.ts';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Every file the published manifest names, with the hash it names, as it is on disk. */
function mismatches(publishDir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(publishDir, 'manifest.json'), 'utf8')) as {
    files: { path: string; sha256: string }[];
  };
  return manifest.files
    .filter((f) => {
      const bytes = readFileSync(join(publishDir, f.path));
      return createHash('sha256').update(bytes).digest('hex') !== f.sha256;
    })
    .map((f) => f.path);
}

describe('a snapshot that failed to go out', () => {
  it('is followed by one whose manifest names exactly the bytes on disk, with every report', async () => {
    dir = mkdtempSync(join(tmpdir(), 'wahlkoffer-publisher-failure-'));
    const { definition, reports } = generated('munich-kw2020', { every: 1000 });
    const publishDir = join(dir, 'public');
    const publisher = await Publisher.open({
      index: indexElection(definition),
      publishDir,
      ...publisherBasics,
    });
    try {
      await publisher.release();
      const half = Math.floor(reports.length / 2);
      publisher.record(reports.slice(0, half).map((t, i) => counted(t, i + 1)));
      await publisher.flush();
      expect(mismatches(publishDir)).toEqual([]);

      // the next snapshot fails on its way to disk (e.g. the disk is full) once
      const snapshots = Reflect.get(publisher, 'dir') as SnapshotDirectory;
      const failing = vi
        .spyOn(snapshots, 'publish')
        .mockRejectedValueOnce(new Error('ENOSPC: no space left on device'));
      publisher.record(reports.slice(half).map((t, i) => counted(t, half + i + 1)));
      await publisher.flush();
      expect(failing).toHaveBeenCalledTimes(2); // the failed attempt, then the one that went out

      expect(mismatches(publishDir)).toEqual([]);
      const results = JSON.parse(readFileSync(join(publishDir, 'results.json'), 'utf8')) as {
        lastSequence: number;
      };
      expect(results.lastSequence).toBe(reports.length);
    } finally {
      await publisher.close();
    }
  });
});
