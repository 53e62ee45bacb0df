import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { SnapshotDirectory } from '../../../central-server/publication/index.ts';
import { DirectoryReads } from '../../../central-server/publication/serve.ts';
import { sha256Hex } from '../../../central-server/publication/snapshot.ts';

const tmp = mkdtempSync(join(tmpdir(), 'wahlkoffer-snapshot-holds-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Version = Record<string, string>;
/** A snapshot's files as the publisher hands them over: bytes only where they changed. */
const filesOf = (next: Version, current: Version | undefined) =>
  Object.entries(next).map(([path, text]) => ({
    path,
    sha256: sha256Hex(Buffer.from(text)),
    bytes: current?.[path] === text ? undefined : Buffer.from(text),
  }));

/** Every file below `dir` with its text; an empty folder as `<name>/` (none should be left). */
function tree(dir: string, prefix = ''): Version {
  const out: Version = {};
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = `${prefix}${e.name}`;
    if (!e.isDirectory()) out[path] = readFileSync(join(dir, e.name), 'utf8');
    else if (readdirSync(join(dir, e.name)).length === 0) out[`${path}/`] = '';
    else Object.assign(out, tree(join(dir, e.name), `${path}/`));
  }
  return out;
}

const PATHS = ['results.json', 'index.html', 'a.html', 'b.html', 'transparency/c.txt'];
const version = (n: number, changed: readonly string[] = PATHS, before: Version = {}): Version => ({
  ...before,
  ...Object.fromEntries(changed.map((p) => [p, `${p} ${n}`])),
});

describe('a superseded snapshot a server thread still reads', () => {
  it('stays as it is until the thread reads a later one, and is then the next snapshot but one', async () => {
    const link = join(tmp, 'held');
    const dir = await SnapshotDirectory.open(link, {
      graceMs: 100,
      mirrorMs: 0,
      readers: ['main'],
    });
    const v1 = version(1);
    const v2 = version(2, ['results.json', 'a.html'], v1);
    const d1 = await dir.publish(filesOf(v1, undefined), 0);
    dir.reading('main', d1);
    const d2 = await dir.publish(filesOf(v2, v1), 10);
    // long past the grace, but the main thread has not moved on from d1: a new directory
    const v3 = version(3, ['results.json'], v2);
    const d3 = await dir.publish(filesOf(v3, v2), 5000);
    expect(tree(d1)).toEqual(v1);
    expect(statSync(d3).ino).not.toBe(statSync(d1).ino);
    // the thread reads d3 now: d1 and d2 are free; the younger (d2) becomes the next snapshot,
    // and only the files that changed since d2 are replaced (the others keep their inodes)
    dir.reading('main', d3);
    const unchanged = statSync(join(d2, 'b.html')).ino;
    const inodeD2 = statSync(d2).ino;
    const v4 = version(4, ['index.html'], v3);
    const d4 = await dir.publish(filesOf(v4, v3), 5200);
    expect(statSync(d4).ino).toBe(inodeD2);
    expect(statSync(join(d4, 'b.html')).ino).toBe(unchanged);
    expect(tree(link)).toEqual(v4);
    expect(tree(d3)).toEqual(v3);
    expect(existsSync(d1)).toBe(true); // a spare for a build in which none is free
  });

  it('is held by a thread that has not said what it reads, and by none that has ended', async () => {
    const link = join(tmp, 'silent');
    const dir = await SnapshotDirectory.open(link, {
      graceMs: 0,
      mirrorMs: 0,
      readers: ['main', 'serve'],
    });
    const d1 = await dir.publish(filesOf(version(1), undefined), 0);
    const d2 = await dir.publish(filesOf(version(2), version(1)), 10);
    dir.reading('main', d2);
    await dir.publish(filesOf(version(3), version(2)), 20);
    expect(tree(d1)).toEqual(version(1)); // 'serve' never said
    dir.forget('serve');
    const d4 = await dir.publish(filesOf(version(4), version(3)), 30);
    expect(basename(d4)).not.toBe(basename(d1));
    expect(existsSync(d1)).toBe(false); // reused: renamed to d4
  });

  it('is released after a minute all the same, and that is reported', async () => {
    const link = join(tmp, 'stuck');
    const overdue: string[] = [];
    const dir = await SnapshotDirectory.open(link, {
      graceMs: 0,
      mirrorMs: 0,
      readers: ['main'],
      onOverdue: (d) => overdue.push(d),
    });
    const d1 = await dir.publish(filesOf(version(1), undefined), 0);
    dir.reading('main', d1);
    await dir.publish(filesOf(version(2), version(1)), 10);
    await dir.publish(filesOf(version(3), version(2)), 59_000);
    expect(overdue).toEqual([]);
    await dir.publish(filesOf(version(4), version(3)), 60_010);
    expect(overdue).toEqual([d1]);
  });
});

describe('<P>.mirror, the link mirrors copy', () => {
  it('names one snapshot for the mirror time, which stays whole for that time after it moved on', async () => {
    const link = join(tmp, 'mirrored');
    const dir = await SnapshotDirectory.open(link, { graceMs: 0, mirrorMs: 1000 });
    const mirror = `${link}.mirror`;
    const named: { dir: string; files: Version; left?: number }[] = [];
    let current: Version | undefined;
    for (let n = 1, now = 0; n <= 30; n += 1, now += 150) {
      const next = version(n, ['results.json', PATHS[n % PATHS.length]!], current);
      const d = await dir.publish(filesOf(next, current), now);
      current = next;
      if (readlinkSync(mirror).endsWith(basename(d))) {
        const last = named.at(-1);
        if (last !== undefined) last.left = now;
        named.push({ dir: d, files: next });
      }
      expect(tree(link)).toEqual(next);
      expect(tree(mirror)).toEqual(named.at(-1)?.files);
      for (const m of named)
        if (m.left === undefined || now - m.left < 1000) {
          expect(tree(m.dir)).toEqual(m.files);
        }
    }
    // 30 builds 150 ms apart: the mirror link moved every 7th (1,050 ms), not more often
    expect(named.map((m) => basename(m.dir))).toHaveLength(5);
  });

  it('catches up with the last snapshot of a burst once its time has come, without another build', async () => {
    const link = join(tmp, 'catch-up');
    const dir = await SnapshotDirectory.open(link, { graceMs: 0, mirrorMs: 1000 });
    await dir.publish(filesOf(version(1), undefined), 0);
    const d2 = await dir.publish(filesOf(version(2), version(1)), 100);
    expect(tree(`${link}.mirror`)).toEqual(version(1));
    expect(dir.mirrorDueIn(100)).toBe(900);
    dir.catchUpMirror(999);
    expect(tree(`${link}.mirror`)).toEqual(version(1)); // not yet
    dir.catchUpMirror(1000);
    expect(readlinkSync(`${link}.mirror`).endsWith(basename(d2))).toBe(true);
    expect(dir.mirrorDueIn(1000)).toBeUndefined();
  });

  it('is kept at a restart, naming the snapshot still published', async () => {
    const link = join(tmp, 'restart');
    const first = await SnapshotDirectory.open(link, { graceMs: 0, mirrorMs: 0 });
    await first.publish(filesOf(version(1), undefined), 0);
    const d2 = await first.publish(filesOf(version(2), version(1)), 10);
    const again = await SnapshotDirectory.open(link);
    expect(again.currentDir).toBe(d2);
    expect(tree(`${link}.mirror`)).toEqual(version(2));
    expect(readdirSync(`${link}.snapshots`)).toEqual([basename(d2)]);
  });
});

describe('snapshot directories and their readers, over any sequence of builds', () => {
  it('never change a snapshot someone may read, and the published tree is exactly the snapshot', async () => {
    let run = 0;
    const build = fc.record({
      after: fc.integer({ min: 0, max: 400 }),
      changed: fc.subarray(PATHS),
      drop: fc.boolean(),
      // how far behind the newest snapshot each thread reads (it never goes back)
      lag: fc.tuple(fc.nat(3), fc.nat(3)),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(build, { minLength: 1, maxLength: 16 }), async (builds) => {
        const link = join(tmp, `run-${run++}`);
        const graceMs = 300;
        const mirrorMs = 700;
        const readers = ['main', 'serve'] as const;
        const dir = await SnapshotDirectory.open(link, { graceMs, mirrorMs, readers });
        const published: { dir: string; files: Version; until?: number; mirrorLeft?: number }[] =
          [];
        const reads = new Map<string, number>(readers.map((r) => [r, -1]));
        let mirrored: (typeof published)[number] | undefined;
        let current: Version | undefined;
        let now = 0;
        for (const [n, b] of [
          { ...builds[0]!, changed: PATHS, drop: false },
          ...builds,
        ].entries()) {
          now += b.after;
          const next = version(n, b.changed, current);
          if (b.drop && n % 2 === 1) delete next['transparency/c.txt'];
          const d = await dir.publish(filesOf(next, current), now);
          const last = published.at(-1);
          if (last !== undefined) last.until = now;
          published.push({ dir: d, files: next });
          current = next;
          if (readlinkSync(`${link}.mirror`).endsWith(basename(d))) {
            if (mirrored !== undefined) mirrored.mirrorLeft = now;
            mirrored = published.at(-1);
          }
          for (const [i, reader] of readers.entries()) {
            const at = Math.max(reads.get(reader) ?? -1, published.length - 1 - b.lag[i]!);
            if (at >= 0 && at !== reads.get(reader)) dir.reading(reader, published[at]!.dir);
            reads.set(reader, at);
          }
          expect(tree(link)).toEqual(next);
          expect(tree(`${link}.mirror`)).toEqual(mirrored?.files);
          const oldestRead = Math.min(...reads.values());
          for (const [i, p] of published.entries()) {
            const read = oldestRead < 0 || i >= oldestRead;
            const inGrace = p.until === undefined || now - p.until < graceMs;
            const mirror =
              p === mirrored || (p.mirrorLeft !== undefined && now - p.mirrorLeft < mirrorMs);
            if (read || inGrace || mirror) expect(tree(p.dir)).toEqual(p.files);
          }
        }
        expect(readdirSync(`${link}.snapshots`).some((name) => name.endsWith('.tmp'))).toBe(false);
      }),
      { numRuns: 40 },
    );
  });
});

describe('what a serving thread tells about the directories it reads', () => {
  it('is its table, or an older one while a file there is not open yet', () => {
    const told: string[] = [];
    const reads = new DirectoryReads((d) => told.push(d));
    reads.switched('/p.snapshots/0000000001');
    const opened = reads.begin('/p.snapshots/0000000001');
    reads.switched('/p.snapshots/0000000002');
    reads.switched('/p.snapshots/0000000003');
    expect(told).toEqual([
      '/p.snapshots/0000000001',
      '/p.snapshots/0000000001',
      '/p.snapshots/0000000001',
    ]);
    opened();
    opened(); // once is enough ('open' and then 'close')
    expect(told.at(-1)).toBe('/p.snapshots/0000000003');
    expect(told).toHaveLength(4);
  });
});
