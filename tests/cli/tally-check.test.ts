import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseElectionDefinition, type Schnellmeldung } from '../../election/index.ts';
import { CliError } from '../../cli/cli-error.ts';
import { checkReports, formatHuman, formatJson, parseTallyFile } from '../../cli/tally-check.ts';
import { runWahlkoffer } from './run-wahlkoffer.ts';

let dir: string;
let election: string;
let truth: Schnellmeldung[];
let fileNumber = 0;

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

async function tallyFile(content: unknown): Promise<string> {
  const file = path.join(dir, `tally-${++fileNumber}.json`);
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

async function check(content: unknown, ...extra: string[]) {
  return runWahlkoffer([
    'tally',
    'check',
    '--election',
    election,
    '--tally',
    await tallyFile(content),
    ...extra,
  ]);
}

function changed(t: Schnellmeldung, counts: Record<string, number>): Schnellmeldung {
  return { ...t, counts: { ...t.counts, ...counts } };
}

// Each case spawns the real program (node bin/wahlkoffer.js); cases of one test run in parallel.
describe('wahlkoffer tally check (real process)', () => {
  it('exit 0 when sendable: the generated truth file, one clean report, an acknowledged warning', async () => {
    const t = truth[0]!;
    const warned = changed(t, { A1: t.counts.A1! + 10, A: t.counts.A! + 10 });
    const acknowledged = {
      ...warned,
      acknowledgements: [{ code: 'W.206', reason: 'Nachträge im Wählerverzeichnis' }],
    };
    const [all, one, ack] = await Promise.all([
      runWahlkoffer([
        'tally',
        'check',
        '--election',
        election,
        '--tally',
        path.join(dir, 'truth.json'),
      ]),
      check(t),
      check(acknowledged),
    ]);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toContain(
      `${truth.length} Schnellmeldungen geprüft: ${truth.length} sendebereit`,
    );
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('sendebereit');
    expect(ack.code).toBe(0);
    expect(ack.stdout).toContain('WARNUNG (bestätigt) W.206');
  });

  it('exit 1 for an error (code, German message, fields) or an unacknowledged warning', async () => {
    const t = truth[0]!;
    const [error, warning, json] = await Promise.all([
      check(changed(t, { C: t.counts.C! + 1 })),
      check(changed(t, { A1: t.counts.A1! + 10, A: t.counts.A! + 10 })),
      check(changed(t, { B1: t.counts.B! + 1 }), '--json'),
    ]);
    expect(error.code).toBe(1);
    expect(error.stdout).toContain('F.301');
    expect(error.stdout).toContain('B muss gleich C + D sein');
    expect(error.stdout).toContain('counts.B, counts.C, counts.D');
    expect(warning.code).toBe(1);
    expect(warning.stdout).toContain('W.206');
    expect(json.code).toBe(1);
    const out = JSON.parse(json.stdout) as {
      sendable: boolean;
      reports: { findings: { code: string }[] }[];
    };
    expect(out.sendable).toBe(false);
    expect(out.reports[0]?.findings.map((f) => f.code)).toContain('F.202');
  });

  it('exit 2 with a one-line message for unreadable input', async () => {
    const results = await Promise.all([
      check('{"format": '),
      check({ format: 'wahlkoffer.schnellmeldung/1' }),
      runWahlkoffer([
        'tally',
        'check',
        '--election',
        election,
        '--tally',
        path.join(dir, 'nope.json'),
      ]),
      runWahlkoffer([
        'tally',
        'check',
        '--election',
        path.join(dir, 'truth.json'),
        '--tally',
        path.join(dir, 'truth.json'),
      ]),
    ]);
    for (const r of results) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^wahlkoffer: /);
      expect(r.stderr).not.toContain('    at ');
    }
    const [badJson, schema, missing, badElection] = results.map((r) => r!.stderr);
    expect(badJson).toContain('is not valid JSON');
    expect(schema).toContain('is not a Schnellmeldung');
    expect(missing).toContain('no such file or directory');
    expect(badElection).toContain('DEFINITION_SCHEMA');
  });
});

describe('tally check on an array', () => {
  it('summarises per precinct with problems and flags identical results within the file', async () => {
    const definition = parseElectionDefinition(JSON.parse(await readFile(election, 'utf8')));
    const copy = { ...truth[1]!, precinctId: truth[2]!.precinctId, contestId: truth[2]!.contestId };
    const broken = changed(truth[3]!, { D1: truth[3]!.counts.D1! + 2 });
    const results = checkReports(definition, [truth[0]!, copy, truth[1]!, broken]);
    const text = formatHuman(results);
    expect(results.map((r) => r.assessment.sendable)).toEqual([true, false, false, false]);
    expect(text).toContain('W.301');
    expect(text).toContain('F.302');
    expect(text).toContain('4 Schnellmeldungen geprüft: 1 sendebereit, 3 nicht sendebereit');
    const json = JSON.parse(formatJson(results)) as { checked: number; reports: unknown[] };
    expect(json).toMatchObject({ checked: 4 });
    expect(json.reports).toHaveLength(3);
  });

  it('checks several revisions of one precinct as a sequence (F.011, W.302)', async () => {
    const definition = parseElectionDefinition(JSON.parse(await readFile(election, 'utf8')));
    const t = truth[0]!;
    const second = {
      ...changed(t, { D1: t.counts.D1! - 100, D2: t.counts.D2! + 100 }),
      revision: 2,
      correctionReason: 'Stapel vertauscht',
    };
    const again = { ...t, revision: 2, correctionReason: 'doppelt' };
    const codes = checkReports(definition, [second, t, again]).map((r) =>
      r.assessment.findings.map((f) => f.code),
    );
    expect(codes).toEqual([['W.302'], [], ['F.011']]);
  });

  it('refuses an empty array as unreadable input', () => {
    expect(() => parseTallyFile([], 'tally.json')).toThrow(/no Schnellmeldung/);
  });

  it('names the element of an array that fails the schema', () => {
    expect(() => parseTallyFile([truth[0], { format: 'x' }], 'tally.json')).toThrow(CliError);
    expect(() => parseTallyFile([truth[0], { format: 'x' }], 'tally.json')).toThrow(
      /tally\.json\[1\]/,
    );
  });
});
