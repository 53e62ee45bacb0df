import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseElectionDefinition, SchnellmeldungSchema } from '../../election/index.ts';
import { runWahlkoffer } from './run-wahlkoffer.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wahlkoffer-generate-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const generate = (seed: number, out: string) =>
  runWahlkoffer([
    'election',
    'generate',
    '--shape',
    'munich-kw2020',
    '--seed',
    String(seed),
    '--out',
    out,
  ]);

describe('wahlkoffer election generate', () => {
  it('writes election.json and truth.json, byte-identical for the same seed', async () => {
    const [a, b, c] = await Promise.all([
      generate(7, path.join(dir, 'a')),
      generate(7, path.join(dir, 'b')),
      generate(8, path.join(dir, 'c')),
    ]);
    for (const r of [a, b, c]) expect(r.code, r.stderr).toBe(0);
    expect(a.stdout).toContain('1274 Stimmbezirke (755 URNE + 519 BRIEF)');
    expect(a.stdout).toContain('election day 2020-03-15');
    const read = (sub: string, file: string) => readFile(path.join(dir, sub, file));
    expect((await read('a', 'election.json')).equals(await read('b', 'election.json'))).toBe(true);
    expect((await read('a', 'truth.json')).equals(await read('b', 'truth.json'))).toBe(true);
    expect((await read('a', 'truth.json')).equals(await read('c', 'truth.json'))).toBe(false);

    const definition = parseElectionDefinition(
      JSON.parse((await read('a', 'election.json')).toString()),
    );
    const truth = JSON.parse((await read('a', 'truth.json')).toString()) as unknown[];
    expect(truth).toHaveLength(definition.precincts.length);
    for (const t of truth) expect(SchnellmeldungSchema.safeParse(t).success).toBe(true);
  });

  it('refuses an unknown shape or a bad seed with exit code 2', async () => {
    const [shape, seed] = await Promise.all([
      runWahlkoffer(['election', 'generate', '--shape', 'atlantis', '--seed', '1', '--out', dir]),
      runWahlkoffer([
        'election',
        'generate',
        '--shape',
        'munich-kw2020',
        '--seed',
        'x',
        '--out',
        dir,
      ]),
    ]);
    expect(shape.code).toBe(2);
    expect(shape.stderr).toContain('unknown shape "atlantis"');
    expect(seed.code).toBe(2);
    expect(seed.stderr).toContain('--seed');
  });

  it('holds a rehearsal today with a few districts (--date today --urnenwahlbezirke)', async () => {
    const out = path.join(dir, 'rehearsal');
    const r = await runWahlkoffer([
      'election',
      'generate',
      '--shape',
      'munich-kw2020',
      '--seed',
      '7',
      '--date',
      'today',
      '--urnenwahlbezirke',
      '3',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const definition = parseElectionDefinition(
      JSON.parse(await readFile(path.join(out, 'election.json'), 'utf8')),
    );
    const now = new Date();
    const pad = (n: number) => String(n).padStart(2, '0');
    const localToday = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
    expect(definition.date).toBe(localToday);
    expect(definition.precincts.filter((p) => p.kind === 'URNE')).toHaveLength(3);
    const truth = JSON.parse(await readFile(path.join(out, 'truth.json'), 'utf8')) as unknown[];
    expect(truth).toHaveLength(definition.precincts.length);
    const bad = await runWahlkoffer([
      'election',
      'generate',
      '--shape',
      'munich-kw2020',
      '--seed',
      '7',
      '--date',
      '2020-02-30',
      '--out',
      out,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--date');
  });

  it('election validate: exit 0 for a valid file, 2 with the issue codes for an invalid one', async () => {
    const [ok, bad] = await Promise.all([
      runWahlkoffer(['election', 'validate', path.join(dir, 'a', 'election.json')]),
      runWahlkoffer(['election', 'validate', path.join(dir, 'a', 'truth.json')]),
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(
      'valid (26 Gebiete / areas, 1274 Stimmbezirke, 1 Wahl(en) / contest(s))',
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('DEFINITION_SCHEMA');
  });
});
