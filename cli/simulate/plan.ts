import { createHash } from 'node:crypto';
import { SimulationError } from './error.ts';
import { FAULT_KINDS } from './faults.ts';
import type { FaultCounts, FaultKind } from './faults.ts';

/** One report of the truth file, by its position there. */
export type TruthReportRef = {
  readonly truthIndex: number;
  readonly precinctId: string;
  readonly contestId: string;
};

/**
 * What one simulated kit does. `stationId` names the bundle that signs (a precinct id; for
 * `revoked`, the id of a bundle in the revoked-bundle directory).
 */
export type SimulationTask =
  | {
      readonly type: 'genuine';
      readonly id: string;
      readonly stationId: string;
      readonly truthIndex: number;
      /** plain: send once; retry: drop the connection after sending, re-send; correction: wrong rev 1, then truth as rev 2 */
      readonly mode: 'plain' | 'retry' | 'correction';
    }
  | {
      readonly type: 'tampered' | 'foreign' | 'revoked';
      readonly id: string;
      readonly stationId: string;
      /** the tally sent: for `foreign`, another precinct's report (sealed by `stationId`) */
      readonly truthIndex: number;
    }
  | {
      readonly type: 'crossed';
      readonly id: string;
      /** whose session carries the report */
      readonly stationId: string;
      /** the station that seals its own report (truthIndex), sent over stationId's session */
      readonly sealedBy: string;
      readonly truthIndex: number;
    };

export type SimulationPlan = {
  readonly tasks: readonly SimulationTask[];
  /** one entry per injected fault, for the expected-vs-actual table */
  readonly faults: readonly { readonly kind: FaultKind; readonly taskId: string }[];
};

/** A stable pseudo-random rank: sha256(seed ‖ label). Same seed → same plan, on every machine. */
function rank(seed: string, label: string): string {
  return createHash('sha256').update(`${seed}\u0000${label}`).digest('hex');
}

function byRank<T>(items: readonly T[], seed: string, label: (item: T) => string): T[] {
  return items
    .map((item) => ({ item, r: rank(seed, label(item)) }))
    .sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : 0))
    .map((x) => x.item);
}

/**
 * Plans a simulated election night: every truth report is sent once by its own station
 * (`genuine`), a chosen few of them with a retry or a correction, plus the refused faults as
 * extra sends. Fault precincts are distinct, chosen by a seeded hash; the order of all sends is
 * shuffled the same way, so faults are spread through the night.
 */
export function planSimulation(input: {
  readonly reports: readonly TruthReportRef[];
  readonly faults: FaultCounts;
  readonly seed: string;
  /** station ids of revoked bundles that may be used for `revoked` faults */
  readonly revokedStations: readonly string[];
}): SimulationPlan {
  const { reports, faults, seed } = input;
  const precincts = byRank([...new Set(reports.map((r) => r.precinctId))], seed, (p) => p);
  const needed =
    faults.retry + faults.correction + faults.tampered + 2 * faults.foreign + 2 * faults.crossed;
  if (needed > precincts.length) {
    throw new SimulationError(
      'NOT_ENOUGH_PRECINCTS',
      `${needed} fault precincts needed, ${precincts.length} available`,
    );
  }
  if (faults.revoked > input.revokedStations.length) {
    throw new SimulationError(
      'NOT_ENOUGH_PRECINCTS',
      `${faults.revoked} revoked faults requested, ${input.revokedStations.length} revoked bundles available`,
    );
  }
  const revoked = byRank(input.revokedStations, seed, (s) => `revoked:${s}`).slice(
    0,
    faults.revoked,
  );
  // Hand out precincts in rank order: retry, correction, tampered, then pairs for foreign and crossed.
  let next = 0;
  const take = (n: number): string[] => precincts.slice(next, (next += n));
  const retry = new Set(take(faults.retry));
  const correction = new Set(take(faults.correction));
  const tampered = take(faults.tampered);
  const foreignStations = take(faults.foreign);
  const foreignTargets = take(faults.foreign);
  const crossedSessions = take(faults.crossed);
  const crossedSealers = take(faults.crossed);

  const firstReportOf = new Map<string, TruthReportRef>();
  for (const r of reports) if (!firstReportOf.has(r.precinctId)) firstReportOf.set(r.precinctId, r);
  const reportOf = (precinctId: string): TruthReportRef => firstReportOf.get(precinctId)!;

  const faultList: { kind: FaultKind; taskId: string }[] = [];
  const tasks: SimulationTask[] = reports.map((r) => {
    const id = `genuine:${r.precinctId}:${r.contestId}`;
    // a precinct voting in several contests gets its retry or correction on its first report only
    const first = reportOf(r.precinctId).truthIndex === r.truthIndex;
    const mode =
      first && retry.has(r.precinctId)
        ? 'retry'
        : first && correction.has(r.precinctId)
          ? 'correction'
          : 'plain';
    if (mode !== 'plain') faultList.push({ kind: mode, taskId: id });
    return { type: 'genuine', id, stationId: r.precinctId, truthIndex: r.truthIndex, mode };
  });
  const addFault = (
    task: SimulationTask & { type: 'tampered' | 'foreign' | 'revoked' | 'crossed' },
  ): void => {
    tasks.push(task);
    faultList.push({ kind: task.type, taskId: task.id });
  };
  for (const p of tampered) {
    addFault({
      type: 'tampered',
      id: `tampered:${p}`,
      stationId: p,
      truthIndex: reportOf(p).truthIndex,
    });
  }
  foreignStations.forEach((station, i) => {
    const target = reportOf(foreignTargets[i]!);
    addFault({
      type: 'foreign',
      id: `foreign:${station}->${target.precinctId}`,
      stationId: station,
      truthIndex: target.truthIndex,
    });
  });
  crossedSessions.forEach((station, i) => {
    const sealer = reportOf(crossedSealers[i]!);
    addFault({
      type: 'crossed',
      id: `crossed:${sealer.precinctId}->${station}`,
      stationId: station,
      sealedBy: sealer.precinctId,
      truthIndex: sealer.truthIndex,
    });
  });
  for (const s of revoked) {
    const report = firstReportOf.get(s) ?? reports[0]!;
    addFault({ type: 'revoked', id: `revoked:${s}`, stationId: s, truthIndex: report.truthIndex });
  }
  faultList.sort((a, b) => FAULT_KINDS.indexOf(a.kind) - FAULT_KINDS.indexOf(b.kind));
  return { tasks: byRank(tasks, seed, (t) => `order:${t.id}`), faults: faultList };
}
