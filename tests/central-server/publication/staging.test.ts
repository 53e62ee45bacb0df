import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { indexElection } from '../../../election/index.ts';
import {
  Publisher,
  PublicationState,
  buildResultsModel,
  renderEml,
  renderKergCsv,
  type SnapshotDirectory,
} from '../../../central-server/publication/index.ts';
import { StagingArea, isStaged } from '../../../central-server/publication/staging.ts';
import { T0, counted, generated, publisherBasics } from './helpers.ts';

const tmp = mkdtempSync(join(tmpdir(), 'wahlkoffer-staging-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** what waits in a staging folder (none until a file needed it) */
const stagedIn = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);

/** Text parts with one-, two-, three- and four-byte characters in UTF-8, some longer than a chunk. */
const parts = fc.array(
  fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.constantFrom('Wählende', '<Ungültige/>', '€', '𝔚𝔞𝔥𝔩', 'x'.repeat(70)),
  ),
  { maxLength: 30 },
);

describe('a file written through the staging area', () => {
  it('is byte for byte its parts joined, in memory when it fits one chunk, else in its staged file', () => {
    const staging = new StagingArea(join(tmp, 'property'), 32);
    fc.assert(
      fc.property(parts, (texts) => {
        const want = Buffer.from(texts.join(''), 'utf8');
        const f = staging.write('wk-1.eml.xml', texts);
        expect(f.contentType).toBe('application/xml');
        if (isStaged(f)) {
          const bytes = readFileSync(f.staged);
          expect(bytes.equals(want)).toBe(true);
          expect(f.size).toBe(want.length);
          expect(f.sha256).toBe(sha256(want));
          expect(want.length).toBeGreaterThan(32);
        } else {
          expect(f.bytes.equals(want)).toBe(true);
          expect(want.length).toBeLessThanOrEqual(32);
        }
        staging.clear();
        expect(stagedIn(join(tmp, 'property'))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves no staged file behind when rendering fails half-way', () => {
    const staging = new StagingArea(join(tmp, 'failing'), 16);
    function* failing() {
      yield 'a'.repeat(40);
      throw new Error('a renderer failed');
    }
    expect(() => staging.write('wk-1.eml.xml', failing())).toThrow('a renderer failed');
    expect(stagedIn(join(tmp, 'failing'))).toEqual([]);
  });
});

describe('a publisher writing its contest files a chunk at a time', () => {
  it('publishes every EML and kerg file byte for byte what the whole model renders, and keeps nothing staged', async () => {
    const { definition, reports } = generated('munich-btw2025', { every: 7 });
    const index = indexElection(definition);
    const publishDir = join(tmp, 'public');
    const publisher = await Publisher.open({
      index,
      publishDir,
      ...publisherBasics,
      chunkBytes: 256, // every contest file goes through a staged file
    });
    const staged = join(`${publishDir}.snapshots`, 'staging');
    const state = new PublicationState(index);
    const record = (from: number, to: number) => {
      const batch = reports.slice(from, to).map((t, i) => counted(t, from + i + 1));
      for (const r of batch) state.record(r);
      publisher.record(batch);
    };
    const check = () => {
      const model = buildResultsModel({ index, view: state, generatedAt: new Date(T0) });
      for (const contest of model.contests) {
        const areas = model.areas.filter((a) => a.path.some((p) => p.id === contest.areaId));
        const eml = readFileSync(join(publishDir, `${contest.id}.eml.xml`));
        expect(eml.equals(Buffer.from(renderEml(model, contest, areas))), contest.id).toBe(true);
        const kerg = readFileSync(join(publishDir, `${contest.id}.kerg.csv`));
        expect(kerg.equals(Buffer.from(renderKergCsv(model, contest, areas))), contest.id).toBe(
          true,
        );
        // a staged file is served from the snapshot's directory, not from memory
        expect(publisher.files?.files.get(`${contest.id}.eml.xml`)?.bytes).toBeUndefined();
      }
      const manifest = JSON.parse(readFileSync(join(publishDir, 'manifest.json'), 'utf8')) as {
        files: { path: string; size: number; sha256: string }[];
      };
      for (const f of manifest.files) {
        const bytes = readFileSync(join(publishDir, f.path));
        expect({ path: f.path, size: bytes.length, sha256: sha256(bytes) }).toEqual(f);
      }
      expect(stagedIn(staged)).toEqual([]);
    };
    try {
      await publisher.release();
      const half = Math.floor(reports.length / 2);
      record(0, half);
      await publisher.flush();
      check();

      // a snapshot that fails on its way to disk leaves nothing staged; the next one is whole
      const snapshots = Reflect.get(publisher, 'dir') as SnapshotDirectory;
      vi.spyOn(snapshots, 'publish').mockRejectedValueOnce(new Error('ENOSPC'));
      record(half, reports.length);
      await publisher.flush();
      check();
      expect(existsSync(staged)).toBe(true);
    } finally {
      await publisher.close();
    }
  });
});
