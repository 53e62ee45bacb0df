import type { Tally } from '../../../election/index.ts';
import { resultIdentity, type ResultIdentity } from '../../intake/result-identity.ts';

/**
 * What the office should look at (issue 8): acknowledged plausibility warnings of accepted
 * reports, identical results in several districts of a contest (Berlin 2021: 22 of them),
 * a turnout far from the other districts of the same area, many refusals from one station or
 * one address. Alerts are facts at the moment they arose; they are never withdrawn.
 */
export type Alert =
  | {
      readonly id: number;
      readonly at: Date;
      readonly kind: 'PLAUSIBILITY_WARNING';
      readonly precinctId: string;
      readonly contestId: string;
      readonly revision: number;
      /** the warning's rule code, e.g. W.202, and the reason the Wahlvorstand gave */
      readonly code: string;
      readonly reason: string;
    }
  | {
      readonly id: number;
      readonly at: Date;
      readonly kind: 'IDENTICAL_RESULTS';
      readonly contestId: string;
      /** every district whose current report has this result (the newest last), at most 20 */
      readonly precinctIds: readonly string[];
      readonly count: number;
    }
  | {
      readonly id: number;
      readonly at: Date;
      readonly kind: 'TURNOUT_OUTLIER';
      readonly precinctId: string;
      readonly contestId: string;
      readonly areaId: string;
      readonly turnout: number;
      /** the mean turnout of the other districts of the area that reported, and how many */
      readonly peerMean: number;
      readonly peers: number;
    }
  | {
      readonly id: number;
      readonly at: Date;
      readonly kind: 'REFUSALS';
      /** the station (a district) or, for requests without a session, the peer address */
      readonly precinctId: string | null;
      readonly origin: string | null;
      readonly count: number;
    };
export type AlertKind = Alert['kind'];
type Draft<A> = A extends Alert ? Omit<A, 'id'> : never;
export type AlertDraft = Draft<Alert>;

export type AlertThresholds = {
  /** turnout this far (as a share) from the mean of the area's other districts alerts */
  readonly turnoutDeviation: number;
  /** …once at least this many other districts of the area have reported */
  readonly turnoutMinPeers: number;
  /** refusals from one station or address alert at this count, and again at every doubling */
  readonly refusalsFromOne: number;
};

export const DEFAULT_THRESHOLDS: AlertThresholds = {
  turnoutDeviation: 0.15,
  turnoutMinPeers: 4,
  refusalsFromOne: 5,
};

/**
 * Turnout at the urn as the plausibility rules define it (SPEC §4, W.202): B / (A + B1).
 * Undefined for a Briefwahlbezirk (no A values) or an empty register.
 */
export function turnoutOf(t: Pick<Tally, 'counts'>): number | undefined {
  const { A, B, B1 } = t.counts;
  if (A === undefined || B === undefined || B1 === undefined) return undefined;
  const eligible = A + B1;
  return eligible > 0 ? B / eligible : undefined;
}

/**
 * A short fingerprint of a report's result (election's `resultKey`: contest, every count but the
 * register; undefined for zero voters): 8 bytes of its SHA-256, so 90,000 districts cost a little
 * memory, and a collision (about 1 in 10^9 at that size) costs at most one alert to look at.
 * Taken from the report's result identity (that SHA-256) when the intake already has it.
 */
export function resultFingerprint(
  t: Pick<Tally, 'contestId' | 'counts'>,
  identity: ResultIdentity = resultIdentity(t),
): string | undefined {
  return identity === null
    ? undefined
    : Buffer.from(identity, 'base64').subarray(0, 8).toString('base64url');
}

/** Districts per result fingerprint; a singleton is a plain number to keep 90,000 entries small. */
export class IdenticalResults {
  private readonly byKey = new Map<string, number | number[]>();

  get size(): number {
    return this.byKey.size;
  }

  /** Adds a district (by ordinal); returns every district holding the result, this one last. */
  add(key: string, district: number): readonly number[] {
    const held = this.byKey.get(key);
    if (held === undefined) {
      this.byKey.set(key, district);
      return [district];
    }
    const list = typeof held === 'number' ? [held] : held;
    if (!list.includes(district)) list.push(district);
    this.byKey.set(key, list);
    return list;
  }

  remove(key: string, district: number): void {
    const held = this.byKey.get(key);
    if (held === undefined) return;
    if (typeof held === 'number') {
      if (held === district) this.byKey.delete(key);
      return;
    }
    const rest = held.filter((d) => d !== district);
    this.byKey.set(key, rest.length === 1 ? rest[0]! : rest);
  }
}

/** Running sum and count of turnouts per (area, contest): O(1) per report, no list kept. */
export class TurnoutByArea {
  private readonly groups = new Map<string, { n: number; sum: number }>();

  get size(): number {
    return this.groups.size;
  }

  /**
   * Replaces a district's turnout in its group (`previous` for a correction); returns the mean
   * of the group's other districts and how many there are.
   */
  replace(
    group: string,
    previous: number | undefined,
    next: number,
  ): { peers: number; peerMean: number } {
    const g = this.groups.get(group) ?? { n: 0, sum: 0 };
    if (previous !== undefined) {
      g.n -= 1;
      g.sum -= previous;
    }
    const peers = g.n;
    const peerMean = peers > 0 ? g.sum / peers : 0;
    g.n += 1;
    g.sum += next;
    this.groups.set(group, g);
    return { peers, peerMean };
  }
}

/**
 * Refusals counted per station and per address; true when the count reaches the threshold or a
 * doubling of it (5, 10, 20, …), so a flood raises a handful of alerts, not thousands. At most
 * `maxOrigins` addresses are remembered (the oldest forgotten first).
 */
export class RefusalCounter {
  private readonly byOrigin = new Map<string, number>();

  constructor(private readonly maxOrigins: number) {}

  get origins(): number {
    return this.byOrigin.size;
  }

  countOrigin(origin: string): number {
    const n = (this.byOrigin.get(origin) ?? 0) + 1;
    this.byOrigin.delete(origin);
    if (this.byOrigin.size >= this.maxOrigins) {
      const oldest = this.byOrigin.keys().next();
      if (oldest.done !== true) this.byOrigin.delete(oldest.value);
    }
    this.byOrigin.set(origin, n);
    return n;
  }
}

/** 5, 10, 20, 40, …: the counts at which refusals from one station or address alert. */
export function isAlertCount(count: number, threshold: number): boolean {
  if (count < threshold) return false;
  const ratio = count / threshold;
  return Number.isInteger(ratio) && (ratio & (ratio - 1)) === 0;
}
