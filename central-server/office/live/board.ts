import type { ElectionIndex, Precinct } from '../../../election/index.ts';
import {
  DEFAULT_THRESHOLDS,
  IdenticalResults,
  RefusalCounter,
  TurnoutByArea,
  isAlertCount,
  resultFingerprint,
  turnoutOf,
  type Alert,
  type AlertDraft,
  type AlertThresholds,
} from './alerts.ts';
import {
  DISTRICT_STATES,
  districtState,
  stateSlot,
  type ContestReport,
  type DistrictState,
} from './district-state.ts';
import { DistrictReports, type HeldReport } from './district-reports.ts';
import type {
  AcceptedEvent,
  BoardEvent,
  ConfirmedEvent,
  RefusalEntry,
  RefusedEvent,
} from './events.ts';
import { Ring } from './ring.ts';

/** Counts per state, in `DISTRICT_STATES` order. */
export type StateCounts = readonly number[];

export type BoardLimits = {
  /** refused attempts kept for the list (newest) */
  readonly refusals: number;
  readonly alerts: number;
  /** addresses remembered for "many refusals from one address" */
  readonly origins: number;
};

export const DEFAULT_LIMITS: BoardLimits = { refusals: 200, alerts: 500, origins: 10_000 };

/** What changed since the last `takeDelta`: what the event stream sends (compact). */
export type BoardDelta = {
  readonly version: number;
  /** the new counts of every area whose counts changed */
  readonly areas: readonly { readonly areaId: string; readonly counts: StateCounts }[];
  readonly districts: readonly { readonly precinctId: string; readonly state: DistrictState }[];
  readonly alerts: readonly Alert[];
  readonly refusals: readonly RefusalEntry[];
};

export type DistrictView = {
  readonly precinct: Precinct;
  readonly state: DistrictState;
  readonly reports: readonly ContestReport[];
  readonly refusals: number;
  /** when its state last changed (undefined: never) */
  readonly changedAt: Date | undefined;
};

/**
 * The live intake board (issue 8), a pure model: every district's state, counts per state for
 * every area, the refused attempts and the alerts, fed one event at a time. Aggregate first:
 * a change costs O(depth of the area tree) — the district's ancestors' counts move — so 90,652
 * districts stay cheap; per district only typed-array slots and the current reports are held.
 * The clock is never read: every event carries its time.
 */
export class LiveBoard {
  private readonly precincts: readonly Precinct[];
  private readonly ordinal = new Map<string, number>();
  private readonly state: Uint8Array;
  private readonly refusedReports: Uint32Array;
  private readonly refusalsByStation: Uint32Array;
  private readonly changedAt: Float64Array;
  private readonly reports: DistrictReports;
  /** "ordinal|contestId" → confirmed receipt sequence */
  private readonly confirmed = new Map<string, number>();
  private readonly areaCounts = new Map<string, Uint32Array>();
  private readonly precinctsOfArea = new Map<string, number[]>();
  private readonly identical = new IdenticalResults();
  private readonly turnout = new TurnoutByArea();
  private readonly origins: RefusalCounter;
  private readonly refusalList: Ring<RefusalEntry>;
  private readonly alertList: Ring<Alert>;
  private nextAlertId = 1;
  private readonly pendingDistricts = new Set<number>();
  private readonly pendingAreas = new Set<string>();
  private readonly pendingAlerts: Ring<Alert>;
  private readonly pendingRefusals: Ring<RefusalEntry>;
  private versionNumber = 0;

  constructor(
    private readonly index: ElectionIndex,
    private readonly thresholds: AlertThresholds = DEFAULT_THRESHOLDS,
    readonly limits: BoardLimits = DEFAULT_LIMITS,
  ) {
    this.precincts = index.definition.precincts;
    const n = this.precincts.length;
    this.state = new Uint8Array(n);
    this.refusedReports = new Uint32Array(n);
    this.refusalsByStation = new Uint32Array(n);
    this.changedAt = new Float64Array(n).fill(Number.NaN);
    this.reports = new DistrictReports(n, (i) => index.contestsOfPrecinct(this.precincts[i]!.id));
    this.origins = new RefusalCounter(limits.origins);
    this.refusalList = new Ring(limits.refusals);
    this.alertList = new Ring(limits.alerts);
    this.pendingAlerts = new Ring(limits.alerts);
    this.pendingRefusals = new Ring(limits.refusals);
    for (const area of index.definition.areas) {
      const counts = new Uint32Array(DISTRICT_STATES.length);
      counts[stateSlot('not-reported')] = index.precinctsInArea(area.id);
      this.areaCounts.set(area.id, counts);
    }
    this.precincts.forEach((p, i) => {
      this.ordinal.set(p.id, i);
      const list = this.precinctsOfArea.get(p.areaId);
      if (list === undefined) this.precinctsOfArea.set(p.areaId, [i]);
      else list.push(i);
    });
  }

  /** Increases with every change (the event stream's id). */
  get version(): number {
    return this.versionNumber;
  }

  apply(event: BoardEvent): void {
    switch (event.kind) {
      case 'accepted':
        return this.accepted(event);
      case 'refused':
        return this.refused(event);
      case 'confirmed':
        return this.confirmedByPhone(event);
    }
  }

  counts(areaId: string): StateCounts {
    return [...(this.areaCounts.get(areaId) ?? new Uint32Array(DISTRICT_STATES.length))];
  }

  district(precinctId: string): DistrictView | undefined {
    const i = this.ordinal.get(precinctId);
    return i === undefined ? undefined : this.view(i);
  }

  /**
   * One page of the districts in an area's subtree (in the definition's order), optionally of
   * one state; `total` is what the filter matches (from the counts, not by counting rows).
   */
  districts(query: {
    readonly areaId: string;
    readonly state?: DistrictState;
    readonly offset: number;
    readonly limit: number;
  }): { total: number; rows: DistrictView[] } {
    const counts = this.counts(query.areaId);
    const total =
      query.state === undefined
        ? counts.reduce((a, b) => a + b, 0)
        : (counts[stateSlot(query.state)] ?? 0);
    const rows: DistrictView[] = [];
    const wanted = query.state === undefined ? -1 : stateSlot(query.state);
    let skip = query.offset;
    const walk = (areaId: string): boolean => {
      for (const i of this.precinctsOfArea.get(areaId) ?? []) {
        if (wanted !== -1 && this.state[i] !== wanted) continue;
        if (skip > 0) skip -= 1;
        else if (rows.push(this.view(i)) >= query.limit) return true;
      }
      return this.index.children(areaId).some(walk);
    };
    if (query.limit > 0) walk(query.areaId);
    return { total, rows };
  }

  /** The newest refused attempts and alerts, newest first. */
  recentRefusals(limit: number): RefusalEntry[] {
    return this.refusalList.newest(limit);
  }

  recentAlerts(limit: number): Alert[] {
    return this.alertList.newest(limit);
  }

  get hasChanges(): boolean {
    return this.pendingDistricts.size + this.pendingAlerts.size + this.pendingRefusals.size > 0;
  }

  /** What changed since the last call (and forgets it); undefined when nothing did. */
  takeDelta(): BoardDelta | undefined {
    if (!this.hasChanges) return undefined;
    const delta: BoardDelta = {
      version: this.versionNumber,
      areas: [...this.pendingAreas].map((areaId) => ({ areaId, counts: this.counts(areaId) })),
      districts: [...this.pendingDistricts].map((i) => ({
        precinctId: this.precincts[i]!.id,
        state: DISTRICT_STATES[this.state[i]!]!,
      })),
      alerts: this.pendingAlerts.newest().reverse(),
      refusals: this.pendingRefusals.newest().reverse(),
    };
    this.pendingAreas.clear();
    this.pendingDistricts.clear();
    this.pendingAlerts.clear();
    this.pendingRefusals.clear();
    return delta;
  }

  /** How much the board holds (tests assert these stay bounded). */
  sizes() {
    return {
      districts: this.precincts.length,
      areas: this.areaCounts.size,
      reportedDistricts: this.reports.districts,
      confirmations: this.confirmed.size,
      resultFingerprints: this.identical.size,
      turnoutGroups: this.turnout.size,
      origins: this.origins.origins,
      refusals: this.refusalList.size,
      alerts: this.alertList.size,
      pendingDistricts: this.pendingDistricts.size,
      pendingAreas: this.pendingAreas.size,
      pendingAlerts: this.pendingAlerts.size,
      pendingRefusals: this.pendingRefusals.size,
    };
  }

  private accepted(event: AcceptedEvent): void {
    const t = event.report;
    const i = this.ordinal.get(t.precinctId);
    if (i === undefined) return;
    const previous = this.reports.get(i, t.contestId);
    // the same or an older report again (a catch-up overlapping a commit): nothing new
    if (previous !== undefined && previous.sequence >= event.sequence) return;
    const fingerprint = resultFingerprint(t, event.resultIdentity);
    const turnout = turnoutOf(t);
    const next: HeldReport = {
      contestId: t.contestId,
      sequence: event.sequence,
      revision: t.revision,
      source: event.source,
      ...(turnout === undefined ? {} : { turnout }),
      ...(fingerprint === undefined ? {} : { fingerprint }),
    };
    if (!this.reports.set(i, next)) return;
    this.settle(i, event.at);
    for (const ack of t.acknowledgements) {
      this.alert({
        kind: 'PLAUSIBILITY_WARNING',
        at: event.at,
        precinctId: t.precinctId,
        contestId: t.contestId,
        revision: t.revision,
        code: ack.code,
        reason: ack.reason,
      });
    }
    if (previous?.fingerprint !== undefined) this.identical.remove(previous.fingerprint, i);
    if (fingerprint !== undefined) {
      const same = this.identical.add(fingerprint, i);
      if (same.length > 1) {
        this.alert({
          kind: 'IDENTICAL_RESULTS',
          at: event.at,
          contestId: t.contestId,
          precinctIds: same.slice(-20).map((d) => this.precincts[d]!.id),
          count: same.length,
        });
      }
    }
    if (turnout !== undefined) this.checkTurnout(i, t.contestId, previous?.turnout, turnout, event);
  }

  private checkTurnout(
    i: number,
    contestId: string,
    previous: number | undefined,
    turnout: number,
    event: AcceptedEvent,
  ): void {
    const areaId = this.precincts[i]!.areaId;
    const { peers, peerMean } = this.turnout.replace(`${areaId}|${contestId}`, previous, turnout);
    const { turnoutMinPeers, turnoutDeviation } = this.thresholds;
    if (peers >= turnoutMinPeers && Math.abs(turnout - peerMean) >= turnoutDeviation) {
      this.alert({
        kind: 'TURNOUT_OUTLIER',
        at: event.at,
        precinctId: this.precincts[i]!.id,
        contestId,
        areaId,
        turnout,
        peerMean,
        peers,
      });
    }
  }

  private refused(event: RefusedEvent): void {
    const entry: RefusalEntry = {
      attempt: event.attempt,
      at: event.at,
      code: event.code,
      precinctId: event.precinctId,
      origin: event.origin,
    };
    this.refusalList.push(entry);
    this.pendingRefusals.push(entry);
    this.versionNumber += 1;
    const i = event.precinctId === null ? undefined : this.ordinal.get(event.precinctId);
    let count: number;
    if (i !== undefined) {
      count = ++this.refusalsByStation[i]!;
      if (event.attempt === 'report') {
        this.refusedReports[i]! += 1;
        this.settle(i, event.at);
      }
    } else if (event.origin !== null) {
      count = this.origins.countOrigin(event.origin);
    } else {
      return;
    }
    if (isAlertCount(count, this.thresholds.refusalsFromOne)) {
      this.alert({
        kind: 'REFUSALS',
        at: event.at,
        precinctId: i === undefined ? null : event.precinctId,
        origin: i === undefined ? event.origin : null,
        count,
      });
    }
  }

  private confirmedByPhone(event: ConfirmedEvent): void {
    const i = this.ordinal.get(event.precinctId);
    if (i === undefined) return;
    const key = `${i}|${event.contestId}`;
    if ((this.confirmed.get(key) ?? 0) >= event.sequence) return;
    this.confirmed.set(key, event.sequence);
    this.settle(i, event.at);
  }

  /** Recomputes a district's state; a change moves its ancestors' counts (O(depth)). */
  private settle(i: number, at: Date): void {
    const precinct = this.precincts[i]!;
    const next = districtState({
      contests: this.index.contestsOfPrecinct(precinct.id).length,
      reports: this.reports.list(i),
      confirmed: (contestId) => this.confirmed.get(`${i}|${contestId}`),
      refusedReports: this.refusedReports[i]!,
    });
    const from = this.state[i]!;
    const to = stateSlot(next);
    this.versionNumber += 1;
    this.changedAt[i] = at.getTime();
    this.pendingDistricts.add(i);
    if (from === to) return;
    this.state[i] = to;
    for (const areaId of this.index.ancestors(precinct.areaId)) {
      const counts = this.areaCounts.get(areaId);
      if (counts === undefined) continue;
      counts[from]! -= 1;
      counts[to]! += 1;
      this.pendingAreas.add(areaId);
    }
  }

  private alert(draft: AlertDraft): void {
    const alert = { ...draft, id: this.nextAlertId++ } as Alert;
    this.alertList.push(alert);
    this.pendingAlerts.push(alert);
    this.versionNumber += 1;
  }

  private view(i: number): DistrictView {
    const at = this.changedAt[i]!;
    return {
      precinct: this.precincts[i]!,
      state: DISTRICT_STATES[this.state[i]!]!,
      reports: this.reports.list(i).map(({ contestId, sequence, revision, source }) => ({
        contestId,
        sequence,
        revision,
        source,
      })),
      refusals: this.refusalsByStation[i]!,
      changedAt: Number.isNaN(at) ? undefined : new Date(at),
    };
  }
}
