import { ballotSections, REGISTER_KEYS } from '../contest-kinds.ts';
import type { Contest, ElectionDefinition } from '../definition.ts';
import { indexElection } from '../election-index.ts';
import { SCHNELLMELDUNG_FORMAT, type Counts, type Schnellmeldung } from '../schnellmeldung.ts';
import type { VoterFigures } from './figures.ts';
import type { Random } from './random.ts';

/** Base shares per contest, aligned with the ballot sections' choices (e.g. [candidates, lists]). */
export type ContestShares = ReadonlyMap<string, readonly (readonly number[])[]>;

/**
 * The truthful Schnellmeldungen of a built election, one per precinct and contest, generated
 * lazily so that 90,000 reports can be streamed to a file without holding them all.
 * Every report is rule-clean: the sums hold and the figures stay inside the warning bands
 * (invalid share below 3 %).
 */
export function* generateTallies(
  definition: ElectionDefinition,
  figures: ReadonlyMap<string, VoterFigures>,
  shares: ContestShares,
  random: Random,
): Generator<Schnellmeldung> {
  const index = indexElection(definition);
  const swings = new Map<string, number[][]>();
  /** hashes of the result keys already used: a truthful file has no two identical results (W.301) */
  const seen = new Set<number>();
  for (const precinct of definition.precincts) {
    const voters = figures.get(precinct.id);
    if (voters === undefined) throw new RangeError(`no figures for ${precinct.id}`);
    for (const contest of index.contestsOfPrecinct(precinct.id)) {
      const r = random.stream(`${contest.id}/${precinct.id}`);
      const swingKey = `${contest.id}/${precinct.areaId}`;
      let swing = swings.get(swingKey);
      if (swing === undefined) {
        swing = areaSwing(random.stream(swingKey), shares.get(contest.id) ?? []);
        swings.set(swingKey, swing);
      }
      const counts: Counts = {};
      if (precinct.kind === 'URNE' && precinct.register !== undefined) {
        const { A1, A2, A3 } = precinct.register;
        Object.assign(counts, { A1, A2, A3, A: A1 + A2 + A3 });
      }
      counts.B = voters.B;
      counts.B1 = voters.B1;
      fillSections(counts, contest, voters.B, swing, r, precinct.kind === 'BRIEF');
      const report: Schnellmeldung = {
        format: SCHNELLMELDUNG_FORMAT,
        electionId: definition.id,
        precinctId: precinct.id,
        contestId: contest.id,
        revision: 1,
        counts,
        acknowledgements: [],
        enteredBy: [
          { role: 'WAHLVORSTEHER', initials: initials(r) },
          { role: 'SCHRIFTFUEHRER', initials: initials(r) },
        ],
      };
      makeUnique(report, contest, seen);
      yield report;
    }
  }
}

/**
 * Two precincts with exactly the same result are rare but real (with two candidates and 1,274
 * precincts about one pair per election); they raise W.301, so the truth file moves one vote
 * between candidates until the result is unique. The sums stay intact.
 */
function makeUnique(report: Schnellmeldung, contest: Contest, seen: Set<number>): void {
  const [section] = ballotSections(contest);
  let key = hashedKey(report);
  for (let nudge = 0; key !== undefined && seen.has(key) && section !== undefined; nudge++) {
    const counts = report.counts;
    const choices = section.choices.map((c) => c.key);
    const from = choices.reduce((a, b) => ((counts[b] ?? 0) > (counts[a] ?? 0) ? b : a));
    const others = choices.filter((c) => c !== from);
    const to = others[nudge % Math.max(1, others.length)];
    if ((counts[from] ?? 0) === 0) break;
    if (to === undefined) {
      // a single candidate: turn one valid vote into an invalid one
      counts[section.invalid] = (counts[section.invalid] ?? 0) + 1;
      counts[section.valid] = (counts[section.valid] ?? 0) - 1;
      counts[from] = (counts[from] ?? 0) - 1;
    } else {
      counts[from] = (counts[from] ?? 0) - 1;
      counts[to] = (counts[to] ?? 0) + 1;
    }
    key = hashedKey(report);
  }
  if (key !== undefined) seen.add(key);
}

/**
 * A 52-bit hash of what `resultKey` covers (contest and every count except A1–A3, A), computed
 * from the numbers directly: 90,000 numbers in memory instead of strings. Different hashes
 * mean different result keys; a hash collision only costs one needless (still truthful) nudge.
 */
function hashedKey(report: Schnellmeldung): number | undefined {
  const counts = report.counts;
  if (!((counts.B ?? 0) > 0)) return undefined;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < report.contestId.length; i++) {
    h1 = Math.imul(h1 ^ report.contestId.charCodeAt(i), 0x01000193);
  }
  for (const key in counts) {
    if (REGISTER.has(key)) continue;
    const value = counts[key] ?? 0;
    h1 = Math.imul(h1 ^ value, 0x01000193);
    h2 = Math.imul(h2 ^ value ^ (key.charCodeAt(0) << 24) ^ key.length, 0x5bd1e995);
  }
  return (h1 >>> 0) * 0x100000 + ((h2 >>> 0) & 0xfffff);
}

const REGISTER: ReadonlySet<string> = new Set(REGISTER_KEYS);

/** Regional deviation of each choice's share, shared by the precincts of one area. */
function areaSwing(random: Random, base: readonly (readonly number[])[]): number[][] {
  return base.map((section) => section.map((share) => share * Math.exp(random.normal(0, 0.12))));
}

function fillSections(
  counts: Counts,
  contest: Contest,
  voters: number,
  swing: readonly (readonly number[])[],
  random: Random,
  postal: boolean,
): void {
  ballotSections(contest).forEach((section, s) => {
    const rate = postal ? random.between(0.004, 0.015) : random.between(0.005, 0.02);
    // keep the invalid share strictly below the 3 % warning threshold
    const invalid = Math.min(Math.round(voters * rate), Math.max(0, Math.ceil(0.03 * voters) - 1));
    const valid = voters - invalid;
    const base = swing[s] ?? [];
    const weights = section.choices.map(
      (_, i) => (base[i] ?? 0.1) * Math.exp(random.normal(0, 0.15)),
    );
    const votes = allocate(valid, weights);
    counts[section.invalid] = invalid;
    counts[section.valid] = valid;
    section.choices.forEach((choice, i) => {
      counts[choice.key] = votes[i] ?? 0;
    });
  });
}

/** Splits `total` votes by weight (largest remainder), so the parts add up exactly. */
function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (sum > 0 ? (total * w) / sum : 0));
  const votes = exact.map(Math.floor);
  let left = total - votes.reduce((a, b) => a + b, 0);
  if (votes.length === 0) return votes;
  const order = exact
    .map((x, i) => ({ i, rest: x - Math.floor(x) }))
    .sort((a, b) => b.rest - a.rest);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) {
    const i = order[k]?.i ?? 0;
    votes[i] = (votes[i] ?? 0) + 1;
  }
  return votes;
}

const LETTERS = [...'ABCDEFGHIKLMNOPRSTUWZ'];

function initials(random: Random): string {
  return `${random.pick(LETTERS)}${random.pick(LETTERS)}`;
}
