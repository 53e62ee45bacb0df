import type { Precinct, Register } from '../definition.ts';
import { clamp, type Random } from './random.ts';

/** The voters of one precinct, fixed when the election is built (the register depends on them). */
export type VoterFigures = { readonly B: number; readonly B1: number };

/** Turnout and postal-vote share of an area; precincts scatter around them. */
export type AreaProfile = { readonly turnout: number; readonly postalShare: number };

export function areaProfile(random: Random): AreaProfile {
  return { turnout: random.between(0.62, 0.78), postalShare: random.between(0.42, 0.58) };
}

type UrneFigures = VoterFigures & { readonly register: Register; readonly postal: number };

/**
 * An Urnenwahlbezirk: ~1,500 eligible voters, turnout 58–86 %, 36–62 % of the voters vote by
 * post (their ballots are counted in the linked Briefwahlbezirk). A2 (Sperrvermerk "W") are
 * those who got a Wahlschein: the postal voters, some who never returned it, and a few who
 * brought it to the urn (B1). The ranges keep every report inside the default warning bands:
 * urn turnout B / (A + B1) stays between about 22 % and 55 %.
 */
export function urneFigures(random: Random, profile: AreaProfile): UrneFigures {
  const eligible = Math.round(clamp(random.normal(1500, 220), 700, 2400));
  const A3 = random.int(0, 3);
  const turnout = clamp(profile.turnout + random.normal(0, 0.035), 0.58, 0.86);
  const postalShare = clamp(profile.postalShare + random.normal(0, 0.04), 0.36, 0.62);
  const voters = Math.round(eligible * turnout);
  const postal = Math.round(voters * postalShare);
  const unreturned = Math.round(postal * random.between(0.02, 0.06));
  const wahlscheinAtUrn = random.int(0, 6);
  const A2 = postal + unreturned + wahlscheinAtUrn;
  const A1 = eligible - A2 - A3;
  const B1 = wahlscheinAtUrn + random.int(0, A3);
  const B = voters - postal - wahlscheinAtUrn + B1;
  return { register: { A1, A2, A3 }, B, B1, postal };
}

/**
 * Builds the precincts of one leaf area: `urne` Urnenwahlbezirke, each linked round-robin to
 * one of `brief` Briefwahlbezirke of the same area (brief ≤ urne, so none stays empty); a
 * Briefwahlbezirk counts the postal votes of its linked Urnenwahlbezirke.
 */
export function buildPrecincts(input: {
  readonly random: Random;
  readonly areaId: string;
  readonly urne: number;
  readonly brief: number;
  readonly urneId: (k: number) => { id: string; number: string; name: string };
  readonly briefId: (k: number) => { id: string; number: string; name: string };
  readonly figures: Map<string, VoterFigures>;
}): Precinct[] {
  const { random, areaId, figures } = input;
  const brief = Math.max(1, Math.min(input.brief, input.urne));
  const profile = areaProfile(random.stream(`profile:${areaId}`));
  const briefs = Array.from({ length: brief }, (_, k) => ({ ...input.briefId(k + 1), B: 0 }));
  const precincts: Precinct[] = [];
  for (let k = 1; k <= input.urne; k++) {
    const names = input.urneId(k);
    const target = briefs[(k - 1) % brief];
    if (target === undefined) throw new RangeError('no Briefwahlbezirk');
    const f = urneFigures(random.stream(names.id), profile);
    target.B += f.postal;
    figures.set(names.id, { B: f.B, B1: f.B1 });
    precincts.push({
      ...names,
      kind: 'URNE',
      areaId,
      briefwahlbezirkId: target.id,
      register: f.register,
    });
  }
  for (const b of briefs) {
    figures.set(b.id, { B: b.B, B1: b.B });
    precincts.push({ id: b.id, number: b.number, name: b.name, kind: 'BRIEF', areaId });
  }
  return precincts;
}

/** Largest-remainder apportionment of `total` over `weights` (deterministic). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sumWeights = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sumWeights);
  const seats = exact.map(Math.floor);
  let left = total - seats.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => ({ i, rest: x - Math.floor(x) }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    seats[i] = (seats[i] ?? 0) + 1;
    left--;
  }
  return seats;
}
