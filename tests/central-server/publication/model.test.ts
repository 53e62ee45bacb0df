import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Aggregator, indexElection } from '../../../election/index.ts';
import {
  PublicationState,
  buildResultsModel,
  type BallotResult,
  type ResultsModel,
} from '../../../central-server/publication/index.ts';
import {
  bundestagDefinition,
  cityBriefReport,
  cityDefinition,
  cityReport,
} from '../../election/fixtures.ts';
import { counted, generated, T0 } from './helpers.ts';

const at = new Date(T0 + 3_600_000);
const ballot = (m: ResultsModel, areaId: string, id: string): BallotResult => {
  const b = m.areas.find((a) => a.area.id === areaId)?.ballots.find((x) => x.id === id);
  if (b === undefined) throw new Error(`no ballot ${id} in ${areaId}`);
  return b;
};

describe('the results model', () => {
  it('shows "x von y", shares, turnout and invalid votes as a Zwischenergebnis while districts are missing', () => {
    const index = indexElection(cityDefinition());
    const state = new PublicationState(index);
    state.record(counted(cityReport(), 1));
    const model = buildResultsModel({ index, view: state, generatedAt: at });
    const city = ballot(model, 'muc', 'ob');
    expect(city.status).toBe('ZWISCHENERGEBNIS');
    expect(city.districts).toEqual({ expected: 5, reported: 1, byPhone: 0 });
    expect(city.electorate).toBe(1703);
    expect(city.voters).toBe(520);
    expect(city.turnout).toBeCloseTo(520 / 1703, 12);
    const [section] = city.sections;
    expect(section?.invalid).toBe(6);
    expect(section?.valid).toBe(514);
    expect(section?.choices.map((c) => [c.id, c.votes, c.share])).toEqual([
      ['reiter', 250, 250 / 514],
      ['frank', 140, 140 / 514],
      ['habenschaden', 124, 124 / 514],
    ]);
    expect(city.lastChange).toEqual(new Date(T0 + 1000));
    // the other Stadtbezirk has nothing yet
    const sb02 = ballot(model, 'sb02', 'ob');
    expect(sb02.districts.reported).toBe(0);
    expect(sb02.lastChange).toBeNull();
    expect(sb02.sections[0]?.choices[0]?.share).toBeNull();
  });

  it('becomes a vorläufiges Ergebnis when every district has reported', () => {
    const { definition, state } = generated('munich-kw2020');
    const model = buildResultsModel({
      index: indexElection(definition),
      view: state,
      generatedAt: at,
    });
    for (const a of model.areas) {
      for (const b of a.ballots) expect(b.status).toBe('VORLAEUFIGES_ERGEBNIS');
      expect(a.progress.reported).toBe(a.progress.expected);
    }
  });

  it('equals the election Aggregator at every area', () => {
    const { definition, state, counted: taken } = generated('munich-kw2020', { every: 3 });
    const index = indexElection(definition);
    const truth = new Aggregator(index);
    for (const t of taken) truth.apply(t);
    const model = buildResultsModel({ index, view: state, generatedAt: at });
    for (const a of model.areas) {
      const b = a.ballots[0]!;
      const t = truth.totals(b.id, a.area.id)!;
      expect(b.districts.reported).toBe(t.reported);
      expect(b.voters).toBe(t.counts.B);
      expect(Object.fromEntries(b.sections[0]!.choices.map((c) => [c.id, c.votes]))).toEqual(
        t.candidates,
      );
    }
  });

  it('marks figures taken by phone, and forgets the mark when the kit sends a correction', () => {
    const index = indexElection(cityDefinition());
    const state = new PublicationState(index);
    state.record(counted(cityReport(), 1, 'telefonisch'));
    let model = buildResultsModel({ index, view: state, generatedAt: at });
    expect(ballot(model, 'muc', 'ob').districts.byPhone).toBe(1);
    expect(
      model.areas.find((a) => a.area.id === 'sb01')?.districts[0]?.contests[0]?.state,
    ).toMatchObject({
      reported: true,
      source: 'telefonisch',
    });
    state.record(counted(cityReport({ revision: 2, correctionReason: 'Zählfehler' }), 2, 'kit'));
    model = buildResultsModel({ index, view: state, generatedAt: at });
    expect(ballot(model, 'muc', 'ob').districts.byPhone).toBe(0);
    expect(model.areas.find((a) => a.area.id === 'muc')?.progress.byPhone).toBe(0);
  });

  it('ignores an older revision arriving late (nothing goes backwards)', () => {
    const index = indexElection(cityDefinition());
    const state = new PublicationState(index);
    expect(
      state.record(counted(cityReport({ revision: 2, correctionReason: 'Zählfehler' }), 5)),
    ).toBe(true);
    expect(state.record(counted(cityReport(), 6))).toBe(false);
    expect(state.district('u0101', 'ob')?.revision).toBe(2);
  });

  it('adds the Wahlkreise of a Land up by party (Erststimmen and Zweitstimmen)', () => {
    const { definition, state } = generated('munich-btw2025', { every: 2 });
    const index = indexElection(definition);
    const model = buildResultsModel({ index, view: state, generatedAt: at });
    const city = model.areas[0]!;
    const combined = city.ballots.find((b) => b.kind === 'combined')!;
    const contests = definition.contests.filter((c) => c.kind === 'BUNDESTAG');
    expect(combined.contestIds).toEqual(contests.map((c) => c.id));
    for (const [s, pick] of [
      [0, 'candidates'],
      [1, 'lists'],
    ] as const) {
      const byParty = new Map<string, number>();
      for (const c of contests) {
        const t = state.totals(c.id, city.area.id)!;
        const items = pick === 'candidates' ? c.candidates : c.kind === 'BUNDESTAG' ? c.lists : [];
        for (const item of items) {
          const party = item.party ?? 'Einzelbewerber';
          byParty.set(party, (byParty.get(party) ?? 0) + (t[pick][item.id] ?? 0));
        }
      }
      const section = combined.sections[s]!;
      expect(Object.fromEntries(section.choices.map((c) => [c.name, c.votes]))).toEqual(
        Object.fromEntries(byParty),
      );
      expect(section.choices.reduce((n, c) => n + c.votes, 0)).toBe(section.valid);
    }
  });

  it('shows no combined ballot for a Wahlkreis itself, only its contest', () => {
    const index = indexElection(bundestagDefinition());
    const model = buildResultsModel({ index, view: new PublicationState(index), generatedAt: at });
    expect(model.areas.find((a) => a.area.id === 'wk216')?.ballots.map((b) => b.id)).toEqual([
      'btw-216',
    ]);
    expect(model.areas.find((a) => a.area.id === 'by')?.ballots.map((b) => b.kind)).toEqual([
      'combined',
    ]);
  });

  it('keeps its per-area facts equal to a recount, whatever the order, revisions and sources', () => {
    const definition = cityDefinition();
    const index = indexElection(definition);
    const base = [
      cityReport(),
      cityBriefReport(),
      cityReport({ revision: 2, correctionReason: 'Zählfehler' }),
    ];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.boolean()), { maxLength: 12 }),
        (steps) => {
          const state = new PublicationState(index);
          const current = new Map<string, { source: string; at: number }>();
          steps.forEach(([which, phone], i) => {
            const t = base[which]!;
            const ok = state.record(counted(t, i + 1, phone ? 'telefonisch' : 'kit'));
            if (ok)
              current.set(t.precinctId, {
                source: phone ? 'telefonisch' : 'kit',
                at: T0 + (i + 1) * 1000,
              });
          });
          for (const areaId of ['muc', 'sb01', 'sb02']) {
            const inArea = [...current.entries()].filter(([p]) =>
              index.ancestors(index.precinct(p)!.areaId).includes(areaId),
            );
            expect(state.completeIn(areaId)).toBe(inArea.length);
            expect(state.phonedIn(areaId)).toBe(
              inArea.filter(([, v]) => v.source === 'telefonisch').length,
            );
            expect(state.byPhoneOf('ob', areaId)).toBe(state.phonedIn(areaId));
            expect(state.lastChangeOf('ob', areaId)).toBe(
              Math.max(0, ...inArea.map(([, v]) => v.at)),
            );
          }
        },
      ),
    );
  });
});
