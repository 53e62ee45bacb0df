import { REPORT_SOURCES } from '../../intake/ledger.ts';
import type { ContestReport } from './district-state.ts';

/** A current report as the board holds it: what the district's state and its alerts need. */
export type HeldReport = ContestReport & {
  /** the report's turnout (alerts.ts `turnoutOf`), if it has one */
  readonly turnout?: number;
  /** its result fingerprint (alerts.ts `resultFingerprint`), if it has one */
  readonly fingerprint?: string;
};

/**
 * The current report of every contest of every district, in typed columns: district `i` has the
 * slots `first[i] … first[i + 1] − 1`, one per contest it votes in (in `contestsOf(i)`'s order).
 * A Map of a `Held[]` per district with an object per report was ~0.3 KB per report, 28 MB of
 * the main thread's heap on the national night (decision 0067, heap12); these columns are 34 B
 * per slot, the fingerprint strings shared with the identical-results index.
 * A district's reports are listed in the order they arrived (`arrival`), as the list was.
 */
export class DistrictReports {
  private readonly first: Uint32Array;
  private readonly sequence: Float64Array;
  private readonly revision: Float64Array;
  private readonly turnout: Float64Array;
  private readonly arrival: Float64Array;
  private readonly source: Uint8Array;
  private readonly fingerprint: (string | undefined)[];
  private arrivals = 0;
  private districtsHolding = 0;

  constructor(
    districts: number,
    private readonly contestsOf: (district: number) => readonly { readonly id: string }[],
  ) {
    this.first = new Uint32Array(districts + 1);
    for (let i = 0; i < districts; i++) this.first[i + 1] = this.first[i]! + contestsOf(i).length;
    const slots = this.first[districts]!;
    this.sequence = new Float64Array(slots).fill(Number.NaN);
    this.revision = new Float64Array(slots);
    this.turnout = new Float64Array(slots).fill(Number.NaN);
    this.arrival = new Float64Array(slots);
    this.source = new Uint8Array(slots);
    this.fingerprint = new Array<string | undefined>(slots).fill(undefined);
  }

  /** Districts holding at least one report. */
  get districts(): number {
    return this.districtsHolding;
  }

  /** The current report of a district's contest, or undefined. */
  get(district: number, contestId: string): HeldReport | undefined {
    const slot = this.slotOf(district, contestId);
    return slot === undefined || Number.isNaN(this.sequence[slot]!)
      ? undefined
      : this.held(slot, contestId);
  }

  /**
   * Makes `report` its contest's current report (it then comes last in `list`). False, and
   * nothing kept, for a contest the district does not vote in: intake refuses such a report
   * (F.004), so none is ever accepted.
   */
  set(district: number, report: HeldReport): boolean {
    const slot = this.slotOf(district, report.contestId);
    if (slot === undefined) return false;
    if (!this.holdsAny(district)) this.districtsHolding += 1;
    this.sequence[slot] = report.sequence;
    this.revision[slot] = report.revision;
    this.source[slot] = REPORT_SOURCES.indexOf(report.source);
    this.turnout[slot] = report.turnout ?? Number.NaN;
    this.fingerprint[slot] = report.fingerprint;
    this.arrival[slot] = ++this.arrivals;
    return true;
  }

  /** A district's current reports, in the order they arrived. */
  list(district: number): HeldReport[] {
    const contests = this.contestsOf(district);
    const base = this.first[district]!;
    const out: { at: number; report: HeldReport }[] = [];
    contests.forEach((contest, k) => {
      if (!Number.isNaN(this.sequence[base + k]!)) {
        out.push({ at: this.arrival[base + k]!, report: this.held(base + k, contest.id) });
      }
    });
    if (out.length > 1) out.sort((a, b) => a.at - b.at);
    return out.map((o) => o.report);
  }

  private holdsAny(district: number): boolean {
    for (let slot = this.first[district]!; slot < this.first[district + 1]!; slot++) {
      if (!Number.isNaN(this.sequence[slot]!)) return true;
    }
    return false;
  }

  private slotOf(district: number, contestId: string): number | undefined {
    const k = this.contestsOf(district).findIndex((c) => c.id === contestId);
    return k === -1 ? undefined : this.first[district]! + k;
  }

  private held(slot: number, contestId: string): HeldReport {
    const turnout = this.turnout[slot]!;
    const fingerprint = this.fingerprint[slot];
    return {
      contestId,
      sequence: this.sequence[slot]!,
      revision: this.revision[slot]!,
      source: REPORT_SOURCES[this.source[slot]!]!,
      ...(Number.isNaN(turnout) ? {} : { turnout }),
      ...(fingerprint === undefined ? {} : { fingerprint }),
    };
  }
}
