import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Schnellmeldung } from '../../election/index.ts';
import { runWahlkoffer } from './run-wahlkoffer.ts';

let dir: string;
let election: string;
let truth: Schnellmeldung[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wahlkoffer-tally-'));
  const r = await runWahlkoffer([
    'election',
    'generate',
    '--shape',
    'munich-btw2025',
    '--seed',
    '3',
    '--out',
    dir,
  ]);
  if (r.code !== 0) throw new Error(r.stderr);
  election = path.join(dir, 'election.json');
  truth = JSON.parse(await readFile(path.join(dir, 'truth.json'), 'utf8')) as Schnellmeldung[];
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function check(content: unknown, ...extra: string[]) {
  const file = path.join(dir, `tally-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return runWahlkoffer(['tally', 'check', '--election', election, '--tally', file, ...extra]);
}

function changed(t: Schnellmeldung, counts: Record<string, number>): Schnellmeldung {
  return { ...t, counts: { ...t.counts, ...counts } };
}

describe('wahlkoffer tally check', () => {
  it('exit 0 for the generated truth file (all sendable)', async () => {
    const r = await runWahlkoffer([
      'tally',
      'check',
      '--election',
      election,
      '--tally',
      path.join(dir, 'truth.json'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      `${truth.length} Schnellmeldungen geprüft: ${truth.length} sendebereit`,
    );
  });

  it('exit 0 for one clean Schnellmeldung', async () => {
    const r = await check(truth[0]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sendebereit');
  });

  it('exit 1 with code, German message and fields for an error', async () => {
    const t = truth[0]!;
    const r = await check(changed(t, { C: t.counts.C! + 1 }));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('F.301');
    expect(r.stdout).toContain('B muss gleich C + D sein');
    expect(r.stdout).toContain('counts.B, counts.C, counts.D');
  });

  it('exit 1 for an unacknowledged warning, 0 once it is acknowledged with a reason', async () => {
    const t = truth[0]!;
    const warned = changed(t, { A1: t.counts.A1! + 10, A: t.counts.A! + 10 });
    expect((await check(warned)).code).toBe(1);
    const acknowledged = {
      ...warned,
      acknowledgements: [{ code: 'W.206', reason: 'Nachträge im Wählerverzeichnis' }],
    };
    expect((await check(acknowledged)).code).toBe(0);
  });

  it('summarises an array per precinct with problems and flags identical results', async () => {
    const copy = { ...truth[1]!, precinctId: truth[2]!.precinctId, contestId: truth[2]!.contestId };
    const broken = changed(truth[3]!, { D1: truth[3]!.counts.D1! + 2 });
    const r = await check([truth[0], copy, truth[1], broken]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('W.301');
    expect(r.stdout).toContain('F.302');
    expect(r.stdout).toContain('4 Schnellmeldungen geprüft: 1 sendebereit, 3 nicht sendebereit');
  });

  it('--json gives machine-readable findings', async () => {
    const t = truth[0]!;
    const r = await check(changed(t, { B1: t.counts.B! + 1 }), '--json');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      sendable: boolean;
      reports: { findings: { code: string; fields: string[] }[] }[];
    };
    expect(out.sendable).toBe(false);
    expect(out.reports[0]?.findings.map((f) => f.code)).toContain('F.202');
  });

  describe('exit 2 on unreadable input', () => {
    it.each([
      ['bad JSON', '{"format": '],
      ['a schema failure', { format: 'wahlkoffer.schnellmeldung/1' }],
      ['a schema failure inside an array', [{}, 1]],
    ])('%s', async (_name, content) => {
      const r = await check(content);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^wahlkoffer: /);
      expect(r.stderr).not.toContain('    at ');
    });

    it('a missing tally file', async () => {
      const r = await runWahlkoffer([
        'tally',
        'check',
        '--election',
        election,
        '--tally',
        path.join(dir, 'nope.json'),
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('file not found');
    });

    it('an invalid election definition', async () => {
      const r = await runWahlkoffer([
        'tally',
        'check',
        '--election',
        path.join(dir, 'truth.json'),
        '--tally',
        path.join(dir, 'truth.json'),
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('DEFINITION_SCHEMA');
    });
  });
});
