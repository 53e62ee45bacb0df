import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BuiltFile } from '../../../central-server/publication/index.ts';
import {
  PendingDeltas,
  ServedTables,
  applyDelta,
  deltaFromWire,
  deltaToWire,
  wholeTable,
  type ServedTable,
} from '../../../central-server/publication/served.ts';
import { contentTypeOf, sha256Hex } from '../../../central-server/publication/snapshot.ts';

const common = { 'cache-control': 'public, max-age=1' };

/** A file of a build: `fresh` as the builder hands a changed file over (with its bytes). */
function built(path: string, content: string, fresh = true): BuiltFile {
  const bytes = Buffer.from(content);
  return {
    path,
    size: bytes.length,
    sha256: sha256Hex(bytes),
    contentType: contentTypeOf(path),
    bytes: fresh ? bytes : undefined,
  };
}
const unchanged = (f: BuiltFile): BuiltFile => ({ ...f, bytes: undefined });

/** What a server thread keeps of a table, comparable across threads and rebuilds. */
const view = (t: ServedTable) =>
  [...t.files.values()]
    .map((f) => ({
      path: f.path,
      etag: f.etag,
      size: f.size,
      contentType: f.contentType,
      inMemory: f.bytes !== undefined,
      bytes: f.bytes?.toString(),
      headers: f.headers,
      notModified: f.notModified,
    }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));

/** The files of a first snapshot, which the tests below change. */
const firstSnapshot = () => [
  built('results.json', '{"v":1}'),
  built('index.html', '<h1>1</h1>'),
  built('gebiet-a.html', '<p>a1</p>'),
  built('gebiet-b.html', '<p>b</p>'),
  built('ob.eml.xml', '<x/>'),
];

describe('the served table of a new snapshot', () => {
  const first = firstSnapshot();

  it('is the whole snapshot the first time, with every header made once per file', () => {
    const tables = new ServedTables({ common, memoryBytes: 1024 });
    const { table, delta } = tables.next(first, '/s/0000000001');
    expect(delta.full).toBe(true);
    expect(delta.changed.map((f) => f.path).sort()).toEqual(first.map((f) => f.path).sort());
    const page = table.files.get('gebiet-a.html')!;
    expect(page.headers).toMatchObject({
      ...common,
      etag: page.etag,
      'content-type': 'text/html; charset=utf-8',
      'content-length': '9',
    });
    expect(page.notModified).toEqual({ ...common, etag: page.etag });
  });

  it('carries only what changed: a changed file, not an unchanged one, and a removed path', () => {
    const tables = new ServedTables({ common, memoryBytes: 1024 });
    const before = tables.next(first, '/s/0000000001').table;
    const second = [
      built('results.json', '{"v":2}'),
      unchanged(first[1]!),
      built('gebiet-a.html', '<p>a2</p>'),
      unchanged(first[3]!),
      // ob.eml.xml is gone
    ];
    const { table, delta } = tables.next(second, '/s/0000000002');
    expect(delta).toMatchObject({ dir: '/s/0000000002', full: false, removed: ['ob.eml.xml'] });
    expect(delta.changed.map((f) => f.path).sort()).toEqual(['gebiet-a.html', 'results.json']);
    // an unchanged file keeps its entry: the same object, in memory as before
    expect(table.files.get('gebiet-b.html')).toBe(before.files.get('gebiet-b.html'));
    expect(table.files.get('gebiet-a.html')?.bytes?.toString()).toBe('<p>a2</p>');
    expect(table.files.has('ob.eml.xml')).toBe(false);
    // the table before is left as it was (a request in flight keeps what it took)
    expect(before.dir).toBe('/s/0000000001');
    expect(before.files.get('gebiet-a.html')?.bytes?.toString()).toBe('<p>a1</p>');
    expect(before.files.has('ob.eml.xml')).toBe(true);
  });

  it('leads a receiving thread, delta by delta, to the same table as a full rebuild', () => {
    const tables = new ServedTables({ common, memoryBytes: 1024 });
    let receiver = applyDelta(
      undefined,
      deltaFromWire(
        deltaToWire(wholeTable(tables.next(first, '/s/1').table), () => true),
        common,
      ),
    );
    const second = [
      built('results.json', '{"v":2}'),
      unchanged(first[1]!),
      built('gebiet-a.html', '<p>a2</p>'),
      unchanged(first[3]!),
      built('transparency/checkpoint.txt', 'cp'),
    ];
    const { delta } = tables.next(second, '/s/2');
    receiver = applyDelta(
      receiver,
      deltaFromWire(
        deltaToWire(delta, () => true),
        common,
      ),
    );
    const rebuilt = new ServedTables({ common, memoryBytes: 1024 }).next(
      [second[0]!, first[1]!, second[2]!, first[3]!, second[4]!],
      '/s/2',
    ).table;
    expect(receiver.dir).toBe('/s/2');
    expect(view(receiver)).toEqual(view(rebuilt));
    expect(view(tables.current!)).toEqual(view(rebuilt));
  });

  it("gives the main thread only the bytes it keeps (the others it reads from the snapshot's directory)", () => {
    const tables = new ServedTables({ common, memoryBytes: 1024 });
    const { delta } = tables.next(first, '/s/1');
    const wire = deltaToWire(delta, (path) => path === 'results.json');
    expect(wire.changed.filter((f) => f.bytes !== undefined).map((f) => f.path)).toEqual([
      'results.json',
    ]);
    const main = applyDelta(undefined, deltaFromWire(wire, common));
    expect(main.files.get('gebiet-a.html')?.bytes).toBeUndefined();
    expect(main.files.get('results.json')?.bytes?.toString()).toBe('{"v":1}');
  });
});

describe('the deltas a thread takes in only when a request reads its table', () => {
  const first = firstSnapshot();
  // snapshot by snapshot: a file changed three times, one removed (gebiet-b), one removed and
  // back (ob.eml.xml), one new
  const builds: [BuiltFile[], string][] = [
    [first, '/s/1'],
    [
      [
        built('results.json', '{"v":2}'),
        unchanged(first[1]!),
        built('gebiet-a.html', '<p>a2</p>'),
        unchanged(first[3]!),
      ],
      '/s/2',
    ],
    [
      [
        built('results.json', '{"v":3}'),
        unchanged(first[1]!),
        built('gebiet-a.html', '<p>a3</p>'),
        built('ob.eml.xml', '<y/>'),
        built('transparency/checkpoint.txt', 'cp'),
      ],
      '/s/3',
    ],
    [
      [
        unchanged(built('results.json', '{"v":3}')),
        unchanged(first[1]!),
        built('gebiet-a.html', '<p>a4</p>'),
        unchanged(built('ob.eml.xml', '<y/>')),
        unchanged(built('transparency/checkpoint.txt', 'cp')),
      ],
      '/s/4',
    ],
  ];

  it('make, taken together, the table that taking each in turn makes', () => {
    const tables = new ServedTables({ common, memoryBytes: 1024 });
    const wires = builds.map(([files, dir]) =>
      deltaToWire(tables.next(files, dir).delta, (path) => path !== 'gebiet-b.html'),
    );
    let oneByOne: ServedTable | undefined;
    for (const wire of wires) oneByOne = applyDelta(oneByOne, deltaFromWire(wire, common));
    for (const split of [1, 2, 3]) {
      // a request read the table after `split` snapshots, the next one after all of them
      const pending = new PendingDeltas();
      let table: ServedTable | undefined;
      for (const [k, wire] of wires.entries()) {
        pending.add(wire);
        if (k + 1 === split || k + 1 === wires.length) {
          table = applyDelta(table, deltaFromWire(pending.take()!, common));
        }
      }
      expect(table!.dir).toBe('/s/4');
      expect(view(table!)).toEqual(view(oneByOne!));
      expect(pending.take()).toBeUndefined();
    }
    expect(view(oneByOne!).map((f) => [f.path, f.bytes])).toEqual([
      ['gebiet-a.html', '<p>a4</p>'],
      ['index.html', '<h1>1</h1>'],
      ['ob.eml.xml', '<y/>'],
      ['results.json', '{"v":3}'],
      ['transparency/checkpoint.txt', 'cp'],
    ]);
  });

  it('start over with a full delta (a restarted publication thread)', () => {
    const pending = new PendingDeltas();
    const tables = new ServedTables({ common, memoryBytes: 1024 });
    pending.add(deltaToWire(tables.next(first, '/s/1').delta, () => true));
    const again = new ServedTables({ common, memoryBytes: 1024 });
    const restarted = deltaToWire(
      again.next([built('results.json', '{"v":9}')], '/s/9').delta,
      () => true,
    );
    pending.add(restarted);
    const delta = pending.take()!;
    expect(delta).toMatchObject({ dir: '/s/9', full: true, removed: [] });
    expect(delta.changed.map((f) => f.path)).toEqual(['results.json']);
  });
});

describe('the memory budget of the served files', () => {
  it('holds the hot files first, then the smallest, and lets a file go that no longer fits', () => {
    const tables = new ServedTables({ common, memoryBytes: 30 });
    const hot = built('results.json', 'r'.repeat(12));
    const small = built('gebiet-a.html', 'a'.repeat(6));
    const middle = built('gebiet-b.html', 'b'.repeat(10));
    const large = built('ob.eml.xml', 'x'.repeat(20));
    const one = tables.next([large, middle, hot, small], '/s/1').table;
    const resident = (t: ServedTable) =>
      [...t.files.values()]
        .filter((f) => f.bytes !== undefined)
        .map((f) => f.path)
        .sort();
    expect(resident(one)).toEqual(['gebiet-a.html', 'gebiet-b.html', 'results.json']);
    // the small page grows: 12 + 10 + 9 > 30, so the largest in memory goes to disk
    const grown = built('gebiet-a.html', 'a'.repeat(9));
    const { table, delta } = tables.next(
      [unchanged(large), unchanged(middle), unchanged(hot), grown],
      '/s/2',
    );
    expect(resident(table)).toEqual(['gebiet-a.html', 'results.json']);
    expect(delta.changed.map((f) => [f.path, f.bytes !== undefined]).sort()).toEqual([
      ['gebiet-a.html', true],
      ['gebiet-b.html', false],
    ]);
  });

  it('keeps the rule over any sequence of builds (the size order is kept up to date incrementally)', () => {
    const paths = ['results.json', 'index.html', 'a.html', 'b.html', 'c.html', 'd.csv', 'e.xml'];
    const build = fc.array(
      fc.record({
        path: fc.constantFrom(...paths),
        size: fc.integer({ min: 0, max: 40 }),
        drop: fc.boolean(),
      }),
      { maxLength: 6 },
    );
    fc.assert(
      fc.property(fc.array(build, { minLength: 1, maxLength: 12 }), (builds) => {
        const budget = 60;
        const tables = new ServedTables({ common, memoryBytes: budget });
        const contents = new Map<string, string>();
        let n = 0;
        let expectedResident = new Set<string>();
        for (const changes of [paths.map((path) => ({ path, size: 5, drop: false })), ...builds]) {
          const fresh = new Set<string>();
          for (const c of changes) {
            if (c.drop) {
              if (c.path !== 'results.json') contents.delete(c.path);
              continue;
            }
            contents.set(c.path, `${n++}`.padEnd(c.size, '.'));
            fresh.add(c.path);
          }
          const files = [...contents].map(([path, text]) => built(path, text, fresh.has(path)));
          const table = tables.next(files, `/s/${n}`).table;
          // the rule, computed from scratch: hot first, then by size while they fit; a file
          // whose bytes are not at hand (unchanged and on disk) stays on disk at no cost
          let left = budget;
          const next = new Set<string>();
          const rank = (f: BuiltFile) =>
            f.path === 'results.json' ? -2 : f.path === 'index.html' ? -1 : f.size;
          const ordered = [...files].sort(
            (a, b) => rank(a) - rank(b) || (a.path < b.path ? -1 : 1),
          );
          for (const f of ordered) {
            const atHand = fresh.has(f.path) || expectedResident.has(f.path);
            if (!atHand) continue;
            if (f.size > left) {
              if (rank(f) >= 0) break;
              continue;
            }
            left -= f.size;
            next.add(f.path);
          }
          expectedResident = next;
          const resident = new Set(
            [...table.files.values()].filter((f) => f.bytes !== undefined).map((f) => f.path),
          );
          expect([...resident].sort()).toEqual([...next].sort());
          expect([...table.files.keys()].sort()).toEqual([...contents.keys()].sort());
        }
      }),
      { numRuns: 200 },
    );
  });
});
