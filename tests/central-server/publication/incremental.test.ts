import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { generateElection, indexElection } from '../../../election/index.ts';
import {
  ManifestRenderer,
  PublicationState,
  SnapshotBuilder,
  SnapshotDirectory,
  createModelContext,
  buildResultsModel,
  renderAreaJson,
  renderAreaPage,
  renderEml,
  renderKergCsv,
  renderManifest,
  renderResultsJsonBytes,
  renderResultsJsonOf,
} from '../../../central-server/publication/index.ts';
import {
  ServedTables,
  deltaToWire,
  transferOf,
} from '../../../central-server/publication/served.ts';
import { sha256Hex } from '../../../central-server/publication/snapshot.ts';
import { cityBriefReport, cityDefinition, cityReport } from '../../election/fixtures.ts';
import { counted, T0 } from './helpers.ts';

const tmp = mkdtempSync(join(tmpdir(), 'wahlkoffer-incremental-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

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
  it("is, built incrementally from the areas' cached entries, byte for byte the whole model's", async () => {
    const index = indexElection(cityDefinition());
    const state = new PublicationState(index);
    const builder = new SnapshotBuilder(createModelContext(index), state, {
      css: 'body{}',
      timeZone: 'Europe/Berlin',
    });
    const reports = [
      cityReport(),
      cityBriefReport(),
      cityReport({ revision: 2, counts: { ...cityReport().counts, D1: 251, D2: 139 } }),
    ];
    for (const [n, report] of [undefined, ...reports].entries()) {
      if (report !== undefined) state.record(counted(report, n));
      const generatedAt = new Date(T0 + n * 60_000);
      const built = await builder.build({
        generatedAt,
        now: () => 0,
        budgetMs: 1000,
        pause: () => Promise.resolve(),
      });
      const whole = renderResultsJsonOf(buildResultsModel({ index, view: state, generatedAt }));
      const results = built.files.find((f) => f.path === 'results.json');
      expect(results?.bytes?.toString('utf8')).toBe(whole);
      expect(results?.sha256).toBe(sha256Hex(Buffer.from(whole, 'utf8')));
    }
  });

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

/** Every file below `dir` with its text; an empty folder as `<name>/` (none should be left). */
function tree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = `${prefix}${e.name}`;
    if (!e.isDirectory()) out[path] = readFileSync(join(dir, e.name), 'utf8');
    else if (readdirSync(join(dir, e.name)).length === 0) out[`${path}/`] = '';
    else Object.assign(out, tree(join(dir, e.name), `${path}/`));
  }
  return out;
}

describe('snapshot directories reused after their grace time', () => {
  it('hold exactly the files a fresh one would, and no snapshot within its grace time ever changes', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ build: changes, after: fc.integer({ min: 0, max: 700 }) }), {
          minLength: 1,
          maxLength: 14,
        }),
        async (builds) => {
          const link = join(tmp, `run-${run++}`);
          const grace = 1000;
          const dir = await SnapshotDirectory.open(link, { graceMs: grace, mirrorMs: 0 });
          let now = 0;
          let current: Record<string, string> = {};
          /** snapshots published, with what they hold and when they were superseded */
          const published: { dir: string; files: Record<string, string>; until?: number }[] = [];
          for (const [n, { build, after }] of [
            { build: PATHS.map((path) => ({ path, content: 0, drop: false })), after: 0 },
            ...builds,
          ].entries()) {
            const next = { ...current };
            for (const c of build) {
              if (c.drop) delete next[c.path];
              else next[c.path] = `${c.path} ${c.content} ${c.content === 3 ? n : ''}`;
            }
            now += after;
            const files = Object.entries(next).map(([path, text]) => ({
              path,
              sha256: sha256Hex(Buffer.from(text)),
              bytes: current[path] === text ? undefined : Buffer.from(text),
            }));
            const last = published.at(-1);
            if (last !== undefined) last.until = now;
            published.push({ dir: await dir.publish(files, now), files: next });
            current = next;
            expect(tree(link)).toEqual(next);
            for (const p of published) {
              if (p.until === undefined || now - p.until < grace)
                expect(tree(p.dir)).toEqual(p.files);
            }
          }
          const store = readdirSync(`${link}.snapshots`);
          expect(store.some((name) => name.endsWith('.tmp'))).toBe(false);
          const inGrace = published.filter((p) => p.until === undefined || now - p.until < grace);
          expect(store.length).toBeLessThanOrEqual(inGrace.length + 2); // at most two spares
        },
      ),
      { numRuns: 40 },
    );
  });
  it('keep a second directory that expires in the same build as a spare, for a build in which none expires', async () => {
    const link = join(tmp, 'spares');
    const dir = await SnapshotDirectory.open(link, { graceMs: 1000, mirrorMs: 0 });
    const version = (n: number) => [
      {
        path: 'results.json',
        sha256: sha256Hex(Buffer.from(`r${n}`)),
        bytes: Buffer.from(`r${n}`),
      },
    ];
    const a = await dir.publish(version(1), 0);
    const b = await dir.publish(version(2), 10); // a superseded at 10
    await dir.publish(version(3), 20); // b superseded at 20
    const [inodeA, inodeB] = [statSync(a).ino, statSync(b).ino];
    // at 1030 both a and b are past their grace: the younger (b) is reused, a kept
    const d = await dir.publish(version(4), 1030);
    expect(statSync(d).ino).toBe(inodeB);
    expect(existsSync(a)).toBe(true);
    // at 1035 nothing expires (c was superseded at 1030): the spare is taken, no new directory
    const e = await dir.publish(version(5), 1035);
    expect(statSync(e).ino).toBe(inodeA);
    expect(existsSync(a)).toBe(false);
    expect(readFileSync(join(link, 'results.json'), 'utf8')).toBe('r5');
  });
});

describe('the large files every build makes anew', () => {
  it('cross to another thread as copies of their own, moved there (its collector counts them), and are the same bytes there', async () => {
    const index = indexElection(cityDefinition());
    const state = new PublicationState(index);
    state.record(counted(cityReport(), 1));
    const generatedAt = new Date(T0);
    const results = renderResultsJsonBytes(
      buildResultsModel({ index, view: state, generatedAt }),
      buildResultsModel({ index, view: state, generatedAt }).areas.map((a) =>
        Buffer.from(renderAreaJson(a)),
      ),
    );
    const manifest = new ManifestRenderer().render(
      { election: index.definition, generatedAt, lastSequence: 1 },
      [{ path: 'results.json', size: results.length, sha256: sha256Hex(results) }],
    ).bytes;
    const page = Buffer.from('<p>klein</p>');
    const tables = new ServedTables({ common: {}, memoryBytes: 1 << 20 });
    const { delta } = tables.next(
      [
        {
          path: 'results.json',
          size: results.length,
          sha256: sha256Hex(results),
          contentType: 'application/json',
          bytes: results,
        },
        {
          path: 'manifest.json',
          size: manifest.length,
          sha256: sha256Hex(manifest),
          contentType: 'application/json',
          bytes: manifest,
        },
        {
          path: 'index.html',
          size: page.length,
          sha256: sha256Hex(page),
          contentType: 'text/html; charset=utf-8',
          bytes: page,
        },
      ],
      '/s/1',
    );
    const echo = new Worker(
      `const { parentPort } = require('node:worker_threads');
       parentPort.once('message', (wire) => parentPort.postMessage(wire.changed.map((f) => ({
         path: f.path, shared: f.bytes.buffer instanceof SharedArrayBuffer,
         own: f.bytes.byteOffset === 0 && f.bytes.buffer.byteLength === f.bytes.byteLength,
         text: Buffer.from(f.bytes).toString('latin1'),
       }))));`,
      { eval: true },
    );
    try {
      const seen = new Promise<{ path: string; shared: boolean; own: boolean; text: string }[]>(
        (resolve) => echo.once('message', resolve),
      );
      const wire = deltaToWire(delta, () => true);
      echo.postMessage(wire, transferOf(wire));
      const byPath = new Map((await seen).map((f) => [f.path, f]));
      // not shared: V8 counts a SharedArrayBuffer in no thread's external memory, so an idle
      // receiver never collected the old ones; and a small page is copied alone, not with
      // the pool around it
      for (const [path, bytes] of [
        ['results.json', results],
        ['manifest.json', manifest],
        ['index.html', page],
      ] as const) {
        expect(byPath.get(path)).toEqual({
          path,
          shared: false,
          own: true,
          text: bytes.toString('latin1'),
        });
      }
      // moved, not cloned: gone from the wire, while the publication thread keeps its own
      expect(wire.changed.map((f) => f.bytes?.byteLength)).toEqual([0, 0, 0]);
      expect(tables.current?.files.get('results.json')?.bytes?.equals(results)).toBe(true);
    } finally {
      await echo.terminate();
    }
  });
});

describe('builds while reports keep arriving', () => {
  it('end, once the reports stop, with every file byte for byte what the whole model renders (reports taken in mid-build included)', async () => {
    const election = generateElection('munich-btw2025', 3);
    const index = indexElection(election.definition);
    const all = [...election.tallies()];
    const contests = new Map(election.definition.contests.map((c) => [c.id, c]));
    await fc.assert(
      fc.asyncProperty(
        // per build: how many reports come before it and how many while it renders (after which
        // of its pauses), some of them corrections of districts already counted
        fc.array(
          fc.record({
            before: fc.nat(40),
            during: fc.nat(6),
            afterPause: fc.nat(12),
            correction: fc.boolean(),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        fc.integer({ min: 0, max: all.length - 1 }),
        async (builds, start) => {
          const state = new PublicationState(index);
          const builder = new SnapshotBuilder(createModelContext(index), state, {
            css: 'body{}',
            timeZone: 'Europe/Berlin',
          });
          let sequence = 0;
          let next = start;
          const revision = new Map<number, number>();
          const arrive = (n: number, correction: boolean) => {
            for (let i = 0; i < n; i++) {
              const k = correction && i % 2 === 0 ? (start + i) % all.length : next++ % all.length;
              const t = all[k]!;
              const r = (revision.get(k) ?? t.revision - 1) + 1;
              revision.set(k, r);
              const counts = { ...t.counts, B: (t.counts.B ?? 0) + r - t.revision };
              state.record(counted({ ...t, revision: r, counts }, ++sequence));
            }
          };
          const generatedAt = new Date(T0 + 86_400_000);
          await builder.build({
            generatedAt,
            now: () => 0,
            budgetMs: Infinity,
            pause: async () => {},
          });
          for (const b of builds) {
            arrive(b.before, b.correction);
            let pauses = 0;
            let clock = 0;
            await builder.build({
              generatedAt,
              now: () => (clock += 1),
              budgetMs: 40, // some pages and contest files left for later
              pause: async () => {
                if (++pauses === b.afterPause) arrive(b.during, b.correction);
              },
            });
          }
          // the reports stop: builds until nothing is left over
          let last;
          do
            last = await builder.build({
              generatedAt,
              now: () => 0,
              budgetMs: 1e9,
              pause: async () => {},
            });
          while (last.deferred > 0);
          const model = buildResultsModel({ index, view: state, generatedAt });
          const want = new Map<string, string>();
          for (const area of model.areas) {
            for (const lang of ['de', 'en'] as const) {
              const page = renderAreaPage(model, area, lang, {
                timeZone: 'Europe/Berlin',
                contests,
              });
              want.set(page.file, sha256Hex(Buffer.from(page.html)));
            }
          }
          for (const contest of model.contests) {
            const areas = model.areas.filter((a) => a.path.some((p) => p.id === contest.areaId));
            want.set(
              `${contest.id}.kerg.csv`,
              sha256Hex(Buffer.from(renderKergCsv(model, contest, areas))),
            );
            want.set(
              `${contest.id}.eml.xml`,
              sha256Hex(Buffer.from(renderEml(model, contest, areas))),
            );
          }
          want.set('results.json', sha256Hex(Buffer.from(renderResultsJsonOf(model))));
          const have = new Map(last.files.map((f) => [f.path, f.sha256]));
          for (const [path, sha256] of want) expect(have.get(path), path).toBe(sha256);
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);
});
