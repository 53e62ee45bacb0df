import { describe, expect, it } from 'vitest';
import {
  generateElection,
  indexElection,
  type ElectionDefinition,
  type Schnellmeldung,
} from '../../../../election/index.ts';
import { LiveBoard, type StateCounts } from '../../../../central-server/office/live/board.ts';
import {
  DISTRICT_STATES,
  type DistrictState,
} from '../../../../central-server/office/live/district-state.ts';
import type { BoardEvent } from '../../../../central-server/office/live/events.ts';
import { overviewBody } from '../../../../central-server/office/web/live/page.ts';
import { ELECTION, urneReport } from '../../fixture.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 8, 27, 16, minute));

/** The counts as a readable record (only the states that are not zero). */
function byState(counts: StateCounts): Partial<Record<DistrictState, number>> {
  const out: Partial<Record<DistrictState, number>> = {};
  DISTRICT_STATES.forEach((s, i) => {
    if ((counts[i] ?? 0) > 0) out[s] = counts[i];
  });
  return out;
}

function accepted(
  report: Schnellmeldung,
  sequence: number,
  source: 'kit' | 'telefonisch' = 'kit',
  minute = 1,
): BoardEvent {
  return { kind: 'accepted', report, sequence, source, at: at(minute) };
}

function refused(
  precinctId: string | null,
  code = 'PLAUSIBILITY_ERROR',
  origin?: string,
): BoardEvent {
  return {
    kind: 'refused',
    attempt: precinctId === null ? 'request' : 'report',
    at: at(2),
    code,
    precinctId,
    origin: origin ?? null,
  };
}

const board = () => new LiveBoard(indexElection(ELECTION));
/** ELECTION with a second contest, OB2, in every district */
const TWO_CONTESTS: ElectionDefinition = {
  ...ELECTION,
  contests: [
    ...ELECTION.contests,
    {
      ...ELECTION.contests[0]!,
      id: 'OB2',
      name: 'Zweite Wahl',
    } as ElectionDefinition['contests'][number],
  ],
};
const state = (b: LiveBoard, id: string) => b.district(id)?.state;

describe('a district on the live board', () => {
  it('is "nicht gemeldet" until a report arrives', () => {
    const b = board();
    expect(state(b, 'P1')).toBe('not-reported');
    expect(byState(b.counts('M'))).toEqual({ 'not-reported': 4 });
  });

  it('is "eingegangen" once its report was accepted', () => {
    const b = board();
    b.apply(accepted(urneReport('P1', [300, 200, 100]), 1));
    expect(state(b, 'P1')).toBe('received');
    expect(b.district('P1')?.changedAt).toEqual(at(1));
  });

  it('is "abgelehnt" when its report was refused and none was accepted', () => {
    const b = board();
    b.apply(refused('P2'));
    expect(state(b, 'P2')).toBe('refused');
    b.apply(accepted(urneReport('P2', [300, 200, 100]), 1));
    expect(state(b, 'P2')).toBe('received');
  });

  it('stays "eingegangen" when a later correction is refused (its figures still count)', () => {
    const b = board();
    b.apply(accepted(urneReport('P2', [300, 200, 100]), 1));
    b.apply(refused('P2', 'REVISION_OUTDATED'));
    expect(state(b, 'P2')).toBe('received');
    expect(b.district('P2')?.refusals).toBe(1);
  });

  it('is not "abgelehnt" after a refused session (wrong TOTP code): no report was refused', () => {
    const b = board();
    b.apply({ ...refused('P3', 'TOTP_INVALID'), attempt: 'session' } as BoardEvent);
    expect(state(b, 'P3')).toBe('not-reported');
    expect(b.recentRefusals(5)).toHaveLength(1);
  });

  it('is "korrigiert" when its current report has revision > 1', () => {
    const b = board();
    b.apply(accepted(urneReport('P1', [300, 200, 100]), 1));
    b.apply(
      accepted(
        urneReport('P1', [301, 199, 100], { revision: 2, correctionReason: 'Zählfehler' }),
        2,
      ),
    );
    expect(state(b, 'P1')).toBe('corrected');
    expect(b.district('P1')?.reports).toEqual([
      { contestId: 'OB', sequence: 2, revision: 2, source: 'kit' },
    ]);
  });

  it('is "telefonisch bestätigt" when the receipt code of its current report was confirmed', () => {
    const b = board();
    b.apply(accepted(urneReport('P1', [300, 200, 100]), 7));
    b.apply({
      kind: 'confirmed',
      precinctId: 'P1',
      contestId: 'OB',
      sequence: 7,
      by: 'anna',
      at: at(9),
    });
    expect(state(b, 'P1')).toBe('phone-confirmed');
  });

  it('is no longer confirmed after a correction: the confirmation was of the earlier figures', () => {
    const b = board();
    b.apply(accepted(urneReport('P1', [300, 200, 100]), 7));
    b.apply({
      kind: 'confirmed',
      precinctId: 'P1',
      contestId: 'OB',
      sequence: 7,
      by: 'anna',
      at: at(9),
    });
    b.apply(
      accepted(
        urneReport('P1', [301, 199, 100], { revision: 2, correctionReason: 'Zählfehler' }),
        8,
      ),
    );
    expect(state(b, 'P1')).toBe('corrected');
  });

  it('takes a confirmation that arrives before its report (another server was faster)', () => {
    const b = board();
    b.apply({
      kind: 'confirmed',
      precinctId: 'P1',
      contestId: 'OB',
      sequence: 7,
      by: 'anna',
      at: at(9),
    });
    expect(state(b, 'P1')).toBe('not-reported');
    b.apply(accepted(urneReport('P1', [300, 200, 100]), 7));
    expect(state(b, 'P1')).toBe('phone-confirmed');
  });

  it('is "telefonisch erfasst" when its result was phoned in', () => {
    const b = board();
    b.apply(accepted(urneReport('P3', [300, 200, 100]), 3, 'telefonisch'));
    expect(state(b, 'P3')).toBe('phoned-in');
  });

  it('ignores a report it already holds, or an older one (a catch-up overlapping a commit)', () => {
    const b = board();
    b.apply(
      accepted(
        urneReport('P1', [301, 199, 100], { revision: 2, correctionReason: 'Zählfehler' }),
        5,
      ),
    );
    const version = b.version;
    b.apply(accepted(urneReport('P1', [300, 200, 100]), 4));
    b.apply(
      accepted(
        urneReport('P1', [301, 199, 100], { revision: 2, correctionReason: 'Zählfehler' }),
        5,
      ),
    );
    expect(b.version).toBe(version);
    expect(state(b, 'P1')).toBe('corrected');
  });

  it('counts only once every contest it votes in has a report', () => {
    const b = new LiveBoard(indexElection(TWO_CONTESTS));
    b.apply(accepted(urneReport('P1', [300, 200, 100]), 1));
    expect(state(b, 'P1')).toBe('not-reported');
    b.apply(accepted({ ...urneReport('P1', [300, 200, 100]), contestId: 'OB2' }, 2));
    expect(state(b, 'P1')).toBe('received');
  });

  it('lists its reports in the order they arrived, a correction last, and forgets none', () => {
    const b = new LiveBoard(indexElection(TWO_CONTESTS));
    const first = ELECTION.contests[0]!.id;
    b.apply(accepted({ ...urneReport('P1', [300, 200, 100]), contestId: 'OB2' }, 1));
    b.apply(accepted(urneReport('P1', [300, 200, 100]), 2, 'telefonisch'));
    const reports = () =>
      b.district('P1')!.reports.map((r) => [r.contestId, r.sequence, r.revision, r.source]);
    expect(reports()).toEqual([
      ['OB2', 1, 1, 'kit'],
      [first, 2, 1, 'telefonisch'],
    ]);
    b.apply(
      accepted(
        {
          ...urneReport('P1', [301, 199, 100], { revision: 2, correctionReason: 'Zählfehler' }),
          contestId: 'OB2',
        },
        3,
      ),
    );
    expect(reports()).toEqual([
      [first, 2, 1, 'telefonisch'],
      ['OB2', 3, 2, 'kit'],
    ]);
    expect(b.sizes().reportedDistricts).toBe(1);
  });

  it('holds no report of a contest the district does not vote in (intake refuses it: F.004)', () => {
    const b = board();
    const version = b.version;
    b.apply(accepted({ ...urneReport('P1', [300, 200, 100]), contestId: 'NOT-HERE' }, 1));
    expect(b.version).toBe(version);
    expect(b.district('P1')!.reports).toEqual([]);
    expect(b.sizes().reportedDistricts).toBe(0);
  });
});

describe('the counts up the area tree', () => {
  it('move the district from one state to the other in its area and every area above', () => {
    const b = board();
    b.apply(accepted(urneReport('P2', [300, 200, 100]), 1));
    b.apply(refused('P3'));
    b.apply(accepted(urneReport('P1', [310, 210, 90]), 2, 'telefonisch'));
    expect(byState(b.counts('SB2'))).toEqual({ received: 1, refused: 1 });
    expect(byState(b.counts('SB1'))).toEqual({ 'not-reported': 1, 'phoned-in': 1 });
    expect(byState(b.counts('M'))).toEqual({
      'not-reported': 1,
      received: 1,
      refused: 1,
      'phoned-in': 1,
    });
  });

  it('page the districts of an area, filtered by state, with the total from the counts', () => {
    const b = board();
    b.apply(accepted(urneReport('P2', [300, 200, 100]), 1));
    const all = b.districts({ areaId: 'M', offset: 0, limit: 2 });
    expect(all.total).toBe(4);
    expect(all.rows.map((r) => r.precinct.id)).toEqual(['P1', 'B1']);
    const next = b.districts({ areaId: 'M', offset: 2, limit: 2 });
    expect(next.rows.map((r) => r.precinct.id)).toEqual(['P2', 'P3']);
    const open = b.districts({ areaId: 'SB2', state: 'not-reported', offset: 0, limit: 10 });
    expect(open).toMatchObject({ total: 1, rows: [{ precinct: { id: 'P3' } }] });
  });
});

describe('the delta the event stream sends', () => {
  it('holds the changed districts, the changed areas with their counts, new alerts and refusals', () => {
    const b = board();
    expect(b.takeDelta()).toBeUndefined();
    b.apply(accepted(urneReport('P2', [300, 200, 100]), 1));
    b.apply(refused(null, 'TOKEN_INVALID', '10.0.0.9'));
    const delta = b.takeDelta()!;
    expect(delta.districts).toEqual([{ precinctId: 'P2', state: 'received' }]);
    expect(delta.areas.map((a) => a.areaId).sort()).toEqual(['M', 'SB2']);
    expect(byState(delta.areas.find((a) => a.areaId === 'SB2')!.counts)).toEqual({
      'not-reported': 1,
      received: 1,
    });
    expect(delta.refusals).toEqual([
      {
        attempt: 'request',
        at: at(2),
        code: 'TOKEN_INVALID',
        precinctId: null,
        origin: '10.0.0.9',
      },
    ]);
    expect(delta.version).toBe(b.version);
    expect(b.takeDelta()).toBeUndefined();
  });
});

describe('alerts', () => {
  it('an acknowledged plausibility warning of an accepted report, with the reason given', () => {
    const b = board();
    const report = urneReport('P1', [300, 200, 100], {
      acknowledgements: [{ code: 'W.203', reason: 'Viele ungültige Stimmzettel, nachgezählt' }],
    });
    b.apply(accepted(report, 1));
    expect(b.recentAlerts(5)).toEqual([
      {
        id: 1,
        kind: 'PLAUSIBILITY_WARNING',
        at: at(1),
        precinctId: 'P1',
        contestId: 'OB',
        revision: 1,
        code: 'W.203',
        reason: 'Viele ungültige Stimmzettel, nachgezählt',
      },
    ]);
  });

  it('identical results in several districts of a contest, naming all of them', () => {
    const b = board();
    b.apply(accepted(urneReport('P1', [300, 200, 100]), 1));
    b.apply(accepted(urneReport('P2', [300, 200, 101]), 2));
    expect(b.recentAlerts(5)).toEqual([]);
    b.apply(accepted(urneReport('P3', [300, 200, 100]), 3));
    expect(b.recentAlerts(5)).toMatchObject([
      { kind: 'IDENTICAL_RESULTS', contestId: 'OB', precinctIds: ['P1', 'P3'], count: 2 },
    ]);
  });

  it('identical results no longer include a district once it corrected its figures', () => {
    const b = board();
    b.apply(accepted(urneReport('P1', [300, 200, 100]), 1));
    b.apply(
      accepted(
        urneReport('P1', [301, 199, 100], { revision: 2, correctionReason: 'Zählfehler' }),
        2,
      ),
    );
    b.apply(accepted(urneReport('P3', [300, 200, 100]), 3));
    expect(b.recentAlerts(5)).toEqual([]);
  });

  it('a turnout far from the other districts of the same area, once enough of them reported', () => {
    const areas = [{ id: 'S', name: 'Stadt', level: 'STADT' as const, parentId: null }];
    const precincts = Array.from({ length: 6 }, (_, n) => ({
      id: `U${n}`,
      number: `${n}`,
      name: `Bezirk ${n}`,
      kind: 'URNE' as const,
      areaId: 'S',
      register: { A1: 1000, A2: 0, A3: 0 },
    }));
    const b = new LiveBoard(
      indexElection({
        ...ELECTION,
        areas,
        precincts,
        contests: [{ ...ELECTION.contests[0]!, areaId: 'S' }],
      }),
    );
    // B / (A + B1) with A = 1000 and B1 = 50: 600 voters → 57 %, 1000 voters → 95 %
    const report = (id: string, voters: number) => {
      const r = urneReport('P1', [voters - 5 - 100, 50, 50]);
      return { ...r, precinctId: id, counts: { ...r.counts, A1: 1000, A2: 0, A3: 0, A: 1000 } };
    };
    b.apply(accepted(report('U0', 1000), 1));
    for (let n = 1; n <= 4; n++) b.apply(accepted(report(`U${n}`, 600 + n), n + 1));
    // U0 (95 %) came first, with no peers to compare; U1–U4 had fewer than 4 peers or were close
    expect(b.recentAlerts(5)).toEqual([]);
    b.apply(accepted(report('U5', 990), 6));
    expect(b.recentAlerts(5)).toMatchObject([
      { kind: 'TURNOUT_OUTLIER', precinctId: 'U5', areaId: 'S', peers: 5 },
    ]);
    const alert = b.recentAlerts(1)[0]!;
    expect(alert.kind === 'TURNOUT_OUTLIER' && alert.turnout).toBeCloseTo(990 / 1050, 6);
  });

  it('many refusals from one station: at 5, then 10, 20 — not one alert per refusal', () => {
    const b = board();
    for (let n = 0; n < 20; n++) b.apply(refused('P2'));
    expect(b.recentAlerts(10).map((a) => a.kind === 'REFUSALS' && a.count)).toEqual([20, 10, 5]);
    expect(b.recentAlerts(1)[0]).toMatchObject({ precinctId: 'P2', origin: null });
  });

  it('many refusals from one address without a session', () => {
    const b = board();
    for (let n = 0; n < 5; n++) b.apply(refused(null, 'TOKEN_INVALID', '203.0.113.7'));
    expect(b.recentAlerts(5)).toMatchObject([
      { kind: 'REFUSALS', precinctId: null, origin: '203.0.113.7', count: 5 },
    ]);
  });
});

describe('with all 90,652 districts of a Bundestag election', () => {
  // Sizes are asserted, never timings (the machine is shared).
  it('keeps its memory bounded: typed slots per district, bounded lists, O(depth) per change', () => {
    const election = generateElection('germany-btw2025', 1);
    const index = indexElection(election.definition);
    const b = new LiveBoard(index);
    const root = index.definition.areas.find((a) => a.parentId === null)!.id;
    let sequence = 0;
    let firstDelta: ReturnType<LiveBoard['takeDelta']>;
    for (const report of election.tallies()) {
      b.apply(accepted(report, ++sequence));
      if (sequence === 1) firstDelta = b.takeDelta();
    }
    for (let n = 0; n < 5_000; n++) b.apply(refused(null, 'TOKEN_INVALID', `10.0.${n % 256}.${n}`));
    const districts = index.definition.precincts.length;
    expect(districts).toBe(90_652);
    // one report changes one district and only its ancestors' counts
    const depth = index.ancestors(index.definition.precincts[0]!.areaId).length;
    expect(firstDelta!.districts).toHaveLength(1);
    expect(firstDelta!.areas).toHaveLength(depth);
    expect(depth).toBeLessThanOrEqual(5);
    const reported = b.counts(root).reduce((a, n) => a + n, 0) - (b.counts(root)[0] ?? 0);
    expect(reported).toBe(districts);
    const sizes = b.sizes();
    expect(sizes.reportedDistricts).toBe(districts);
    expect(sizes.refusals).toBe(200);
    expect(sizes.alerts).toBeLessThanOrEqual(500);
    expect(sizes.pendingRefusals).toBe(200);
    expect(sizes.pendingAlerts).toBeLessThanOrEqual(500);
    expect(sizes.resultFingerprints).toBeLessThanOrEqual(districts);
    // a page is a page, never the whole country
    const page = b.districts({ areaId: root, offset: 90_000, limit: 50 });
    expect(page.total).toBe(districts);
    expect(page.rows).toHaveLength(50);
    // the overview of the whole country is one page of districts, never 90,652 rows
    const html = overviewBody({
      board: b,
      index,
      lang: 'de',
      query: { areaId: root, state: undefined, page: 3 },
      pageSize: 50,
      now: at(30),
      pollsCloseAt: at(0),
      timeZone: 'Europe/Berlin',
      version: 'x.1',
      districtName: (id) => id,
    }).text;
    expect(html.match(/data-district="/g)).toHaveLength(50);
    expect(html.length).toBeLessThan(400_000);
    const delta = b.takeDelta()!;
    expect(delta.refusals).toHaveLength(200);
    expect(delta.districts.length).toBeLessThanOrEqual(districts);
  }, 120_000);
});
