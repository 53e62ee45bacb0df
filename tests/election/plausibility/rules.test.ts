import { describe, expect, it } from 'vitest';
import {
  assessSchnellmeldung,
  indexElection,
  parseElectionDefinition,
  RULES,
  type AssessmentContext,
  type Schnellmeldung,
} from '../../../election/index.ts';
import {
  bundestagDefinition,
  bundestagReport,
  cityBriefReport,
  cityDefinition,
  cityReport,
  withCounts,
} from '../fixtures.ts';

const city = indexElection(parseElectionDefinition(cityDefinition()));
const btw = indexElection(parseElectionDefinition(bundestagDefinition()));

type Case = {
  readonly report: Schnellmeldung;
  readonly ctx?: Partial<AssessmentContext>;
  readonly fields?: readonly string[];
};

const correction = (t: Schnellmeldung): Schnellmeldung => ({
  ...t,
  revision: 2,
  correctionReason: 'Stapel neu gezählt',
});

/** For every rule: a report (and context) that makes it fire, and the fields it must name. */
const FIRING: Record<(typeof RULES)[number]['code'], Case> = {
  'F.001': { report: cityReport({ electionId: 'other-election' }), fields: ['electionId'] },
  'F.002': { report: cityReport({ precinctId: 'u9999' }), fields: ['precinctId'] },
  'F.003': { report: cityReport({ contestId: 'stadtrat' }), fields: ['contestId'] },
  'F.004': {
    report: bundestagReport({ precinctId: 'o-u1' }),
    ctx: { index: btw },
    fields: ['precinctId', 'contestId'],
  },
  'F.010': { report: cityReport({ revision: 2 }), fields: ['correctionReason'] },
  'F.011': {
    report: correction(cityReport()),
    ctx: { previous: correction(cityReport()) },
    fields: ['revision'],
  },
  'F.101': { report: withCounts(cityReport(), { D3: undefined }), fields: ['counts.D3'] },
  'F.102': { report: withCounts(cityReport(), { D4: 0 }), fields: ['counts.D4'] },
  'F.103': { report: withCounts(cityBriefReport(), { A1: 0 }), fields: ['counts.A1'] },
  'F.104': { report: withCounts(cityReport(), { D3: 124.5 }), fields: ['counts.D3'] },
  'F.201': {
    report: withCounts(cityReport(), { A: 1700 }),
    fields: ['counts.A', 'counts.A1', 'counts.A2', 'counts.A3'],
  },
  'F.202': { report: withCounts(cityReport(), { B1: 521 }), fields: ['counts.B', 'counts.B1'] },
  'F.203': {
    report: withCounts(cityBriefReport(), { B1: 799 }),
    fields: ['counts.B', 'counts.B1'],
  },
  'F.301': {
    report: withCounts(cityReport(), { C: 7 }),
    fields: ['counts.B', 'counts.C', 'counts.D'],
  },
  'F.302': {
    report: withCounts(cityReport(), { D1: 251 }),
    fields: ['counts.D', 'counts.D1', 'counts.D2', 'counts.D3'],
  },
  'F.401': {
    report: withCounts(bundestagReport(), { E: 5 }),
    ctx: { index: btw },
    fields: ['counts.B', 'counts.E', 'counts.F'],
  },
  'F.402': {
    report: withCounts(bundestagReport(), { F1: 297 }),
    ctx: { index: btw },
    fields: ['counts.F', 'counts.F1', 'counts.F2'],
  },
  'W.201': {
    report: withCounts(cityReport(), { B: 1800, D: 1794, D1: 1530 }),
    fields: ['counts.B', 'counts.B1', 'counts.A'],
  },
  'W.202': {
    report: withCounts(cityReport(), { B: 200, D: 194, D1: 50, D2: 70, D3: 74 }),
    fields: ['counts.B', 'counts.A'],
  },
  'W.203': {
    report: withCounts(cityReport(), { C: 16, D: 504, D1: 240 }),
    fields: ['counts.C', 'counts.B'],
  },
  'W.204': {
    report: withCounts(cityReport(), { A1: 400, A2: 1300, A: 1703 }),
    fields: ['counts.B', 'counts.B1', 'counts.A1'],
  },
  'W.205': {
    report: withCounts(cityReport(), { B: 0, B1: 0, C: 0, D: 0, D1: 0, D2: 0, D3: 0 }),
    fields: ['counts.B'],
  },
  'W.206': { report: withCounts(cityReport(), { A1: 1201, A: 1704 }), fields: ['counts.A1'] },
  'W.301': { report: cityReport(), ctx: { identicalTo: () => ['u0101', 'u0102'] } },
  'W.302': {
    report: withCounts(correction(cityReport()), { D1: 200, D2: 190 }),
    ctx: { previous: cityReport() },
    fields: ['counts.D1', 'counts.D2'],
  },
};

/** Near misses: the same situations just inside the rule, where it must stay silent. */
const SILENT: Record<string, Case> = {
  'F.010': { report: correction(cityReport()) },
  'F.011': { report: correction(cityReport()), ctx: { previous: cityReport() } },
  'F.203': { report: cityBriefReport() },
  'W.201': { report: withCounts(cityReport(), { B: 1715, B1: 12, D: 1709, D1: 1445 }) },
  'W.202': { report: withCounts(cityReport(), { B: 343, D: 337, D1: 73 }) },
  'W.203': { report: withCounts(cityReport(), { C: 15, D: 505, D1: 241 }) },
  'W.204': { report: withCounts(cityReport(), { B: 1212, D: 1206, D1: 942 }) },
  'W.301': { report: cityReport(), ctx: { identicalTo: () => ['u0101'] } },
  'W.302': {
    report: withCounts(correction(cityReport()), { D1: 240, D2: 150 }),
    ctx: { previous: cityReport() },
  },
};

function assess({ report, ctx }: Case) {
  return assessSchnellmeldung(report, { index: city, ...ctx });
}

describe('plausibility rules', () => {
  it('a truthful report has no findings at all (Urne, Brief, Bundestag)', () => {
    expect(assess({ report: cityReport() }).findings).toEqual([]);
    expect(assess({ report: cityBriefReport() }).findings).toEqual([]);
    expect(assess({ report: bundestagReport(), ctx: { index: btw } }).findings).toEqual([]);
  });

  it('every rule of the RULES table has a firing case here', () => {
    expect(Object.keys(FIRING).sort()).toEqual(RULES.map((r) => r.code).sort());
  });

  describe.each(RULES.map((r) => [r.code, r] as const))('%s', (code, rule) => {
    it(`fires: ${rule.condition}`, () => {
      const c = FIRING[code];
      const found = assess(c).findings.filter((f) => f.code === code);
      expect(found).toHaveLength(1);
      expect(found[0]?.severity).toBe(rule.severity);
      expect(found[0]?.message).toEqual(rule.message);
      if (c.fields !== undefined) expect(found[0]?.fields).toEqual(c.fields);
    });

    it('stays silent on the truthful report and the near miss', () => {
      const near = SILENT[code];
      const cases =
        near === undefined ? [{ report: cityReport() }] : [{ report: cityReport() }, near];
      for (const c of cases) expect(assess(c).findings.map((f) => f.code)).not.toContain(code);
    });
  });

  it('reports negative and oversized values as F.104', () => {
    const found = assess({ report: withCounts(cityReport(), { D1: -1, D2: 1e12 }) }).findings;
    expect(found.map((f) => f.code)).toEqual(['F.104']);
    expect(found[0]?.fields).toEqual(['counts.D1', 'counts.D2']);
  });

  it('gives the figures in the detail, German and English formatted', () => {
    const [f] = assess(FIRING['F.201']).findings;
    expect(f?.detail).toEqual({
      de: 'A = 1.700, A1 + A2 + A3 = 1.703',
      en: 'A = 1,700, A1 + A2 + A3 = 1,703',
    });
  });

  it('honours thresholds from the election definition', () => {
    const strict = cityDefinition();
    strict.plausibility = { invalidShareMax: 0.01 };
    const index = indexElection(parseElectionDefinition(strict));
    const codes = assessSchnellmeldung(cityReport(), { index }).findings.map((f) => f.code);
    expect(codes).toEqual(['W.203']);
  });
});
