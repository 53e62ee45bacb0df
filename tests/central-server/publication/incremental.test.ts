import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexElection } from '../../../election/index.ts';
import {
  ManifestRenderer,
  PublicationState,
  buildResultsModel,
  renderManifest,
  renderResultsJsonOf,
} from '../../../central-server/publication/index.ts';
import { sha256Hex } from '../../../central-server/publication/snapshot.ts';
import { cityDefinition, cityReport } from '../../election/fixtures.ts';
import { counted, T0 } from './helpers.ts';

const PATHS = [
  'index.html',
  'results.json',
  'gebiet-a.html',
  'gebiet-a.en.html',
  'wk-1.eml.xml',
  'transparency/checkpoint.txt',
  'transparency/log/0001.txt',
];

/** A build's changes: paths written anew (with a content number) or dropped. */
const changes = fc.array(
  fc.record({ path: fc.constantFrom(...PATHS), content: fc.nat(3), drop: fc.boolean() }),
  { maxLength: 5 },
);

describe('manifest.json made incrementally', () => {
  it('is byte for byte the manifest rendered whole, after any sequence of builds', () => {
    fc.assert(
      fc.property(fc.array(changes, { minLength: 1, maxLength: 15 }), (builds) => {
        const renderer = new ManifestRenderer();
        const files = new Map<string, { size: number; sha256: string }>();
        for (const [n, build] of builds.entries()) {
          for (const c of build) {
            if (c.drop) files.delete(c.path);
            else
              files.set(c.path, {
                size: c.content * 7,
                sha256: sha256Hex(Buffer.from([c.content])),
              });
          }
          const entries = [...files].map(([path, f]) => ({ path, ...f }));
          const header = {
            election: {
              id: 'btw2025',
              name: 'Bundestagswahl',
              date: '2025-02-23',
              kind: 'BUNDESTAGSWAHL',
            },
            generatedAt: new Date(T0 + n * 1000),
            lastSequence: n,
          } as const;
          const incremental = renderer.render(header, entries);
          expect(incremental.bytes.toString('utf8')).toBe(
            renderManifest(header, entries).bytes.toString('utf8'),
          );
          expect(incremental.contentType).toBe('application/json');
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('results.json', () => {
  it('is one compact JSON document with the documented keys in order, as JSON.stringify writes it', () => {
    const index = indexElection(cityDefinition());
    const state = new PublicationState(index);
    state.record(counted(cityReport(), 1));
    const text = renderResultsJsonOf(
      buildResultsModel({ index, view: state, generatedAt: new Date(T0) }),
    );
    const doc = JSON.parse(text) as Record<string, unknown>;
    expect(JSON.stringify(doc)).toBe(text);
    expect(Object.keys(doc)).toEqual([
      'format',
      'election',
      'generatedAt',
      'lastChange',
      'lastSequence',
      'reportsCounted',
      'rootAreaId',
      'contests',
      'areas',
    ]);
    expect((doc.contests as unknown[]).length).toBe(index.definition.contests.length);
  });
});
