import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SnapshotDirectory } from '../../../central-server/publication/index.ts';
import { sha256Hex } from '../../../central-server/publication/snapshot.ts';

const tmp = mkdtempSync(join(tmpdir(), 'wahlkoffer-snapshot-reuse-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A snapshot's files as the publisher hands them over: bytes only where they changed. */
type Version = Record<string, string>;
function filesOf(next: Version, current: Version | undefined) {
  return Object.entries(next).map(([path, text]) => ({
    path,
    sha256: sha256Hex(Buffer.from(text)),
    bytes: current?.[path] === text ? undefined : Buffer.from(text),
  }));
}
const read = (dir: string, paths: string[]) =>
  Object.fromEntries(paths.map((p) => [p, readFileSync(join(dir, p), 'utf8')]));

describe('a snapshot directory past its grace time', () => {
  it('becomes the next snapshot, with only what differs replaced, and no other snapshot changes', async () => {
    const link = join(tmp, 'public');
    const dir = await SnapshotDirectory.open(link, { graceMs: 1000, mirrorMs: 0 });
    const versions: Version[] = [
      { 'results.json': 'r1', 'index.html': 'i1', 'a.html': 'a1', 'gone.html': 'g' },
      { 'results.json': 'r2', 'index.html': 'i1', 'a.html': 'a2', 'gone.html': 'g' },
      { 'results.json': 'r3', 'index.html': 'i1', 'a.html': 'a2', 'transparency/c.txt': 'c1' },
      { 'results.json': 'r4', 'index.html': 'i2', 'a.html': 'a1', 'transparency/c.txt': 'c2' },
    ];
    const dirs: string[] = [];
    let current: Version | undefined;
    for (const [i, v] of versions.slice(0, 3).entries()) {
      dirs.push(await dir.publish(filesOf(v, current), i * 10));
      current = v;
    }
    const first = statSync(dirs[0]!).ino;
    // the first snapshot, superseded at 10, is past its grace time at 1015; the second is not
    const fourth = await dir.publish(filesOf(versions[3]!, current), 1015);
    expect(statSync(fourth).ino).toBe(first); // the same directory, renamed
    expect(existsSync(dirs[0]!)).toBe(false);
    expect(readdirSync(fourth).sort()).toEqual([
      'a.html',
      'index.html',
      'results.json',
      'transparency',
    ]);
    expect(read(link, Object.keys(versions[3]!))).toEqual(versions[3]);
    // the snapshots still in their grace time are exactly as published (shared inodes untouched)
    expect(read(dirs[1]!, Object.keys(versions[1]!))).toEqual(versions[1]);
    expect(read(dirs[2]!, Object.keys(versions[2]!))).toEqual(versions[2]);
    expect(readdirSync(`${link}.snapshots`).some((n) => n.endsWith('.tmp'))).toBe(false);
  });

  it('is removed instead when the files come without their hashes', async () => {
    const link = join(tmp, 'plain');
    const dir = await SnapshotDirectory.open(link, { graceMs: 1000, mirrorMs: 0 });
    const first = await dir.publish([{ path: 'x.txt', bytes: Buffer.from('1') }], 0);
    await dir.publish([{ path: 'x.txt', bytes: Buffer.from('2') }], 10);
    const third = await dir.publish([{ path: 'x.txt', bytes: Buffer.from('3') }], 2000);
    expect(existsSync(first)).toBe(false);
    expect(readFileSync(join(third, 'x.txt'), 'utf8')).toBe('3');
    expect(readdirSync(`${link}.snapshots`)).toHaveLength(2);
  });
});

describe('a snapshot that cannot be written', () => {
  it('fails, leaves no half-written directory behind, and the one before stays published', async () => {
    const link = join(tmp, 'failing');
    const dir = await SnapshotDirectory.open(link, { graceMs: 0, mirrorMs: 0 });
    const v1: Version = { 'results.json': 'r1', 'a.html': 'a1' };
    await dir.publish(filesOf(v1, undefined), 0);
    // 'a.html' is a file, so nothing can be written below it (ENOTDIR), after results.json was
    const broken = filesOf({ 'results.json': 'r2', 'a.html': 'a2', 'a.html/b.html': 'b' }, v1);
    await expect(dir.publish(broken, 10)).rejects.toThrow();
    expect(readdirSync(`${link}.snapshots`).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(read(link, Object.keys(v1))).toEqual(v1);
    // and the next build publishes
    const v2: Version = { 'results.json': 'r2', 'a.html': 'a2' };
    await dir.publish(filesOf(v2, v1), 20);
    expect(read(link, Object.keys(v2))).toEqual(v2);
  });
});
