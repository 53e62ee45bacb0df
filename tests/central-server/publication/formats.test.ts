import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Aggregator,
  indexElection,
  type Contest,
  type ElectionDefinition,
} from '../../../election/index.ts';
import {
  KERG_COLUMNS,
  PublicationState,
  RESULTS_FORMAT,
  buildResultsModel,
  renderEml,
  renderKergCsv,
  renderResultsJsonOf,
  type ResultsModel,
} from '../../../central-server/publication/index.ts';
import { cityDefinition, cityReport } from '../../election/fixtures.ts';
import { counted, generated, T0 } from './helpers.ts';

const SCHEMA = join(import.meta.dirname, '../../fixtures/eml-v5/510-count-v5-0.xsd');
const tmp = mkdtempSync(join(tmpdir(), 'wahlkoffer-formats-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const at = new Date(T0 + 3_600_000);

const subtree = (model: ResultsModel, contest: Contest) =>
  model.areas.filter((a) => a.path.some((p) => p.id === contest.areaId));

/** xmllint against the OASIS schema; returns its output (throws with it when invalid). */
function xmllint(xml: string, name: string, ...args: string[]): string {
  const f = join(tmp, name);
  writeFileSync(f, xml);
  return execFileSync('xmllint', [...args, f], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
const validate = (xml: string, name: string) => xmllint(xml, name, '--noout', '--schema', SCHEMA);

/** A plain reader of the kerg layout (as a newsroom's script would be): header → row objects. */
function readKerg(csv: string): Record<string, string>[] {
  expect(csv.startsWith('\uFEFF')).toBe(true);
  const lines = csv
    .slice(1)
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'));
  const split = (line: string) => {
    const out: string[] = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quoted && ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = !quoted;
      } else if (ch === ';' && !quoted) {
        out.push(field);
        field = '';
      } else {
        field += ch;
      }
    }
    return [...out, field];
  };
  const [header, ...rows] = lines.map(split);
  expect(header).toEqual([...KERG_COLUMNS]);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

/** Re-imports a kerg file and checks every area's figures against the Aggregator. */
function expectKergEqualsTruth(
  definition: ElectionDefinition,
  truth: Aggregator,
  contest: Contest,
  csv: string,
) {
  const rows = readKerg(csv);
  const index = indexElection(definition);
  const areas = new Set(rows.map((r) => r.Gebietsnummer));
  expect(areas.size).toBeGreaterThan(0);
  for (const areaId of areas) {
    const t = truth.totals(contest.id, areaId!)!;
    const mine = rows.filter((r) => r.Gebietsnummer === areaId);
    const value = (name: string, stimme = '') =>
      Number(mine.find((r) => r.Gruppenname === name && r.Stimme === stimme)?.Anzahl);
    expect(value('Wahlberechtigte')).toBe(t.counts.A);
    expect(value('Wählende')).toBe(t.counts.B);
    expect(value('Ungültige', '1')).toBe(t.counts.C);
    expect(value('Gültige', '1')).toBe(t.counts.D);
    const groups = mine.filter((r) => r.Gruppenart !== 'System-Gruppe');
    const first = contest.candidates.map((c) =>
      Number(
        groups.find(
          (r) =>
            r.Stimme === '1' && r.Gruppenreihenfolge === String(contest.candidates.indexOf(c) + 1),
        )?.Anzahl,
      ),
    );
    expect(first).toEqual(contest.candidates.map((c) => t.candidates[c.id]));
    if (contest.kind === 'BUNDESTAG') {
      expect(value('Gültige', '2')).toBe(t.counts.F);
      for (const [i, l] of contest.lists.entries()) {
        const row = groups.find((r) => r.Stimme === '2' && r.Gruppenreihenfolge === String(i + 1));
        expect(row?.Gruppenname).toBe(l.party);
        expect(Number(row?.Anzahl)).toBe(t.lists[l.id]);
      }
    }
    const parent = index.area(areaId!)!.parentId;
    expect(mine.every((r) => r.UegGebietsnummer === (parent ?? ''))).toBe(true);
  }
}

describe('<contestId>.kerg.csv', () => {
  it('re-imports to the same totals (Munich OB, partly counted)', () => {
    const { definition, state, counted: taken } = generated('munich-kw2020', { every: 2 });
    const truth = new Aggregator(indexElection(definition));
    for (const t of taken) truth.apply(t);
    const model = buildResultsModel({
      index: indexElection(definition),
      view: state,
      generatedAt: at,
    });
    const contest = definition.contests[0]!;
    const csv = renderKergCsv(model, contest, subtree(model, contest));
    expectKergEqualsTruth(definition, truth, contest, csv);
    expect(csv).toContain(';Zwischenergebnis: ');
    expect(csv.split('\n')[3]).toMatch(
      /^OB;15\.03\.2020;Stadt;muenchen;Landeshauptstadt München;;;System-Gruppe;Wahlberechtigte;-4;;\d+;;;;;;/,
    );
  });

  it('re-imports to the same totals for Bundestag contests (Erststimme 1, Zweitstimme 2, parties)', () => {
    const { definition, state, counted: taken } = generated('munich-btw2025');
    const truth = new Aggregator(indexElection(definition));
    for (const t of taken) truth.apply(t);
    const model = buildResultsModel({
      index: indexElection(definition),
      view: state,
      generatedAt: at,
    });
    for (const contest of definition.contests) {
      const csv = renderKergCsv(model, contest, subtree(model, contest));
      expectKergEqualsTruth(definition, truth, contest, csv);
      expect(csv).toContain(';vorläufiges Ergebnis\n');
    }
  });

  it('quotes a name with a separator or a quote, and percentages have six decimals', () => {
    const definition = cityDefinition();
    const ob = definition.contests[0]!;
    ob.candidates[0] = { id: 'reiter', name: 'Reiter; "der Ältere"', party: 'SPD' };
    const index = indexElection(definition);
    const state = new PublicationState(index);
    state.record(counted(cityReport(), 1));
    const model = buildResultsModel({ index, view: state, generatedAt: at });
    const csv = renderKergCsv(model, ob, subtree(model, ob));
    expect(csv).toContain(';Bewerber;"Reiter; ""der Ältere""";1;1;250;48,638132;');
    const rows = readKerg(csv);
    expect(
      rows.find((r) => r.Gruppenreihenfolge === '1' && r.Gruppenart === 'Bewerber')?.Gruppenname,
    ).toBe('Reiter; "der Ältere"');
  });
});

describe('<contestId>.eml.xml (EML 510)', () => {
  it('validates against the OASIS schema, partly and fully counted, with a ReportingUnitVotes per reported district', () => {
    for (const every of [3, 1]) {
      const { definition, state } = generated('munich-kw2020', { every, phoneEvery: 10 });
      const model = buildResultsModel({
        index: indexElection(definition),
        view: state,
        generatedAt: at,
      });
      const contest = definition.contests[0]!;
      const xml = renderEml(model, contest, subtree(model, contest));
      expect(validate(xml, `ob-${every}.eml.xml`)).toBe('');
      const units = Number(
        xmllint(xml, 'q.xml', '--xpath', "count(//*[local-name()='ReportingUnitVotes'])"),
      );
      expect(units).toBe(model.areas[0]!.ballots[0]!.districts.reported);
      const phoned = Number(
        xmllint(
          xml,
          'q.xml',
          '--xpath',
          "sum(//*[local-name()='ReportingUnitVotes']/*[@Id='TELEFONISCH'])",
        ),
      );
      expect(phoned).toBe(model.areas[0]!.ballots[0]!.districts.byPhone);
      expect(phoned).toBeGreaterThan(0);
      // every district's votes add up to the contest's total, per candidate
      for (const c of contest.candidates.slice(0, 3)) {
        const sum = (where: string) =>
          Number(
            xmllint(
              xml,
              'q.xml',
              '--xpath',
              `sum(//*[local-name()='${where}']/*[local-name()='Selection'][.//*[@Id='${c.id}']]/*[local-name()='ValidVotes'])`,
            ),
          );
        expect(sum('ReportingUnitVotes')).toBe(sum('TotalVotes'));
      }
      expect(xml).toContain(`<Partial>${every === 1 ? 'no' : 'yes'}</Partial>`);
    }
  });

  it('validates for a Bundestag contest (two Elections: Erststimmen and Zweitstimmen)', () => {
    const { definition, state } = generated('munich-btw2025', { every: 2 });
    const model = buildResultsModel({
      index: indexElection(definition),
      view: state,
      generatedAt: at,
    });
    const contest = definition.contests[0]!;
    const xml = renderEml(model, contest, subtree(model, contest));
    expect(validate(xml, 'btw.eml.xml')).toBe('');
    expect(xml).toContain(`<ElectionIdentifier Id="${contest.id}-stimme2">`);
  });

  it('stays valid with markup characters, control characters and over-long names', () => {
    const definition = cityDefinition();
    const ob = definition.contests[0]!;
    ob.name = 'Wahl <OB> & "Stadtrat"';
    ob.candidates[1] = {
      id: 'frank',
      name: `Kristina ${'Frank-'.repeat(20)}\u0007Ende`,
      party: 'CSU & Co',
    };
    const index = indexElection(definition);
    const state = new PublicationState(index);
    state.record(counted(cityReport(), 1));
    const model = buildResultsModel({ index, view: state, generatedAt: at });
    expect(validate(renderEml(model, ob, subtree(model, ob)), 'odd.eml.xml')).toBe('');
  });
});

describe('results.json', () => {
  it('carries the model with exact counts per area and ballot', () => {
    const { definition, state } = generated('munich-btw2025', { every: 4 });
    const model = buildResultsModel({
      index: indexElection(definition),
      view: state,
      generatedAt: at,
    });
    const doc = JSON.parse(renderResultsJsonOf(model)) as {
      format: string;
      lastSequence: number;
      areas: {
        id: string;
        ballots: {
          id: string;
          districts: unknown;
          sections: { votes: Record<string, number> }[];
        }[];
      }[];
      contests: { id: string }[];
    };
    expect(doc.format).toBe(RESULTS_FORMAT);
    expect(doc.lastSequence).toBe(state.lastSequence);
    expect(doc.contests.map((c) => c.id)).toEqual(definition.contests.map((c) => c.id));
    expect(doc.areas.map((a) => a.id)).toEqual(model.areas.map((a) => a.area.id));
    const root = model.areas[0]!;
    const combined = root.ballots.find((b) => b.kind === 'combined')!;
    const json = doc.areas[0]!.ballots.find((b) => b.id === combined.id)!;
    expect(json.districts).toEqual(combined.districts);
    expect(json.sections[1]!.votes).toEqual(
      Object.fromEntries(combined.sections[1]!.choices.map((c) => [c.id, c.votes])),
    );
  });
});
