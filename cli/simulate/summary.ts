import { describeExpected, EXPECTED_OUTCOMES } from './faults.ts';
import type { ExpectedOutcome, FaultKind } from './faults.ts';
import type { SimulationPlan, SimulationTask } from './plan.ts';

/** The final answer the server gave to one task (after any retries the task itself makes). */
export type TaskOutcome =
  | {
      readonly status: 'ACCEPTED';
      readonly revision: number;
      readonly sequence: number;
      readonly receiptCode: string;
    }
  | { readonly status: 'REFUSED'; readonly code: string; readonly stage: 'session' | 'report' }
  /** anything that is neither a well-formed acceptance nor a coded refusal (network error, bad receipt, …) */
  | { readonly status: 'ERROR'; readonly message: string };

export type TaskResult = {
  readonly task: SimulationTask;
  readonly outcome: TaskOutcome;
  /** set when the task's own checks failed (e.g. a retry got a different receipt) */
  readonly problem?: string;
};

/** One HTTP answer to POST /api/v1/reports, for progress and latency. */
export type SendRecord = {
  readonly latencyMs: number;
  readonly status: 'ACCEPTED' | 'REFUSED' | 'ERROR';
  readonly repeat?: boolean;
  readonly code?: string;
  /** this attempt got no answer (or a 5xx) and the same bytes were sent again */
  readonly resent?: boolean;
};

export type FaultCheck = {
  readonly kind: FaultKind;
  readonly taskId: string;
  readonly expected: string;
  readonly actual: string;
  readonly ok: boolean;
};

export type Latency = { readonly p50: number; readonly p99: number; readonly max: number };

function latency(samples: readonly number[]): Latency {
  return {
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    max: samples.reduce((m, x) => Math.max(m, x), 0),
  };
}

export type SimulationSummary = {
  readonly tasks: number;
  readonly sends: number;
  readonly accepted: number;
  readonly acceptedRepeats: number;
  readonly refused: number;
  /** requests with no final answer (after every resend) */
  readonly errors: number;
  /** requests (challenge, session, report) that got no answer or a 5xx and were sent again, byte for byte */
  readonly resent: number;
  readonly refusedByCode: Readonly<Record<string, number>>;
  readonly genuine: { readonly expected: number; readonly accepted: number };
  readonly faults: readonly FaultCheck[];
  readonly latencyMs: Latency;
  /** opening a session: challenge, proof of possession, TOTP (one per kit) */
  readonly sessionLatencyMs: Latency;
  /** the kit's own work before it can send: open the bundle, unlock the key (simulator CPU) */
  readonly unlockMs: Latency;
  /** session refusals (e.g. a revoked kit), by code; these never reach POST /reports */
  readonly sessionRefusedByCode: Readonly<Record<string, number>>;
  readonly durationMs: number;
  readonly reportsPerSecond: number;
  readonly unexpected: readonly string[];
  readonly ok: boolean;
};

/** Nearest-rank percentile (p in 0..100) of unsorted samples; 0 for none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const rankIndex = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rankIndex - 1]!;
}

function describeOutcome(o: TaskOutcome): string {
  switch (o.status) {
    case 'ACCEPTED':
      return 'ACCEPTED';
    case 'REFUSED':
      return o.code;
    case 'ERROR':
      return `ERROR (${o.message})`;
  }
}

function matches(expected: ExpectedOutcome, result: TaskResult): boolean {
  if (result.problem !== undefined) return false;
  const o = result.outcome;
  return expected.kind === 'ACCEPTED'
    ? o.status === 'ACCEPTED'
    : o.status === 'REFUSED' && o.code === expected.code;
}

/** What every task must end with: genuine sends accepted (as the right revision), faults as the table says. */
export function expectedFor(task: SimulationTask): ExpectedOutcome {
  return task.type === 'genuine' ? { kind: 'ACCEPTED' } : EXPECTED_OUTCOMES[task.type];
}

/**
 * Compares every task's outcome with what was expected and counts the answers. Pure: the
 * caller passes the send records, the task results and the measured wall-clock duration.
 */
export function summarize(input: {
  readonly plan: SimulationPlan;
  readonly results: readonly TaskResult[];
  readonly sends: readonly SendRecord[];
  readonly durationMs: number;
  readonly sessionMs?: readonly number[];
  readonly unlockMs?: readonly number[];
  /** requests of any kind (challenge, session, report) sent again after no answer or a 5xx */
  readonly resent?: number;
}): SimulationSummary {
  const { plan, results, sends, durationMs } = input;
  const byId = new Map(results.map((r) => [r.task.id, r]));
  const unexpected: string[] = [];
  for (const task of plan.tasks) {
    const r = byId.get(task.id);
    if (r === undefined) {
      unexpected.push(`${task.id}: never finished`);
      continue;
    }
    const expected = expectedFor(task);
    if (!matches(expected, r)) {
      const problem = r.problem === undefined ? '' : ` — ${r.problem}`;
      unexpected.push(
        `${task.id}: expected ${describeExpected(expected)}, got ${describeOutcome(r.outcome)}${problem}`,
      );
    }
  }
  const faults = plan.faults.map(({ kind, taskId }): FaultCheck => {
    const r = byId.get(taskId);
    const expected = EXPECTED_OUTCOMES[kind];
    return {
      kind,
      taskId,
      expected: describeExpected(expected),
      actual: r === undefined ? 'NOT RUN' : describeOutcome(r.outcome),
      ok: r !== undefined && matches(expected, r),
    };
  });
  const refusedByCode: Record<string, number> = {};
  for (const s of sends) {
    if (s.status === 'REFUSED' && s.code !== undefined) {
      refusedByCode[s.code] = (refusedByCode[s.code] ?? 0) + 1;
    }
  }
  const sessionRefusedByCode: Record<string, number> = {};
  const sessionRefusals = new Set<string>();
  for (const r of results) {
    // one kit, one session: count each refused session once, however many tasks it carried
    if (r.outcome.status === 'REFUSED' && r.outcome.stage === 'session') {
      const key = `${r.task.type === 'revoked' ? 'revoked' : 'genuine'}:${r.task.stationId}`;
      if (sessionRefusals.has(key)) continue;
      sessionRefusals.add(key);
      sessionRefusedByCode[r.outcome.code] = (sessionRefusedByCode[r.outcome.code] ?? 0) + 1;
    }
  }
  const genuineTasks = plan.tasks.filter((t) => t.type === 'genuine');
  const latencies = sends.map((s) => s.latencyMs);
  return {
    tasks: plan.tasks.length,
    sends: sends.length,
    accepted: sends.filter((s) => s.status === 'ACCEPTED' && s.repeat !== true).length,
    acceptedRepeats: sends.filter((s) => s.status === 'ACCEPTED' && s.repeat === true).length,
    refused: sends.filter((s) => s.status === 'REFUSED').length,
    errors: sends.filter((s) => s.status === 'ERROR' && s.resent !== true).length,
    resent: input.resent ?? sends.filter((s) => s.resent === true).length,
    refusedByCode,
    genuine: {
      expected: genuineTasks.length,
      accepted: genuineTasks.filter((t) => byId.get(t.id)?.outcome.status === 'ACCEPTED').length,
    },
    faults,
    latencyMs: latency(latencies),
    sessionLatencyMs: latency(input.sessionMs ?? []),
    unlockMs: latency(input.unlockMs ?? []),
    sessionRefusedByCode,
    durationMs,
    reportsPerSecond: durationMs > 0 ? (sends.length * 1000) / durationMs : 0,
    unexpected,
    ok: unexpected.length === 0,
  };
}

/** The human-readable summary printed at the end of `wahlkoffer simulate`. */
export function formatSummary(s: SimulationSummary): string {
  const lines = [
    `Simulation ${s.ok ? 'OK' : 'FAILED'}: ${s.genuine.accepted}/${s.genuine.expected} genuine reports accepted`,
    `  sends: ${s.sends} in ${(s.durationMs / 1000).toFixed(1)} s (${s.reportsPerSecond.toFixed(1)}/s); ` +
      `accepted ${s.accepted} new + ${s.acceptedRepeats} repeats, refused ${s.refused}, errors ${s.errors}` +
      (s.resent > 0 ? `; requests sent again after no answer or 5xx: ${s.resent}` : ''),
    `  latency: p50 ${s.latencyMs.p50.toFixed(1)} ms, p99 ${s.latencyMs.p99.toFixed(1)} ms, max ${s.latencyMs.max.toFixed(1)} ms`,
  ];
  lines.push(
    `  sessions: p50 ${s.sessionLatencyMs.p50.toFixed(1)} ms, p99 ${s.sessionLatencyMs.p99.toFixed(1)} ms; ` +
      `bundle unlock (kit side): p50 ${s.unlockMs.p50.toFixed(1)} ms, p99 ${s.unlockMs.p99.toFixed(1)} ms`,
  );
  const codes = Object.entries(s.refusedByCode).sort(([a], [b]) => a.localeCompare(b));
  if (codes.length > 0) {
    lines.push(`  reports refused by code: ${codes.map(([c, n]) => `${c} ${n}`).join(', ')}`);
  }
  const sessionCodes = Object.entries(s.sessionRefusedByCode).sort(([a], [b]) =>
    a.localeCompare(b),
  );
  if (sessionCodes.length > 0) {
    lines.push(
      `  sessions refused by code: ${sessionCodes.map(([c, n]) => `${c} ${n}`).join(', ')}`,
    );
  }
  if (s.faults.length > 0) {
    lines.push('  injected faults (expected → actual):');
    for (const f of s.faults) {
      lines.push(
        `    ${f.ok ? 'ok  ' : 'FAIL'} ${f.kind.padEnd(10)} ${f.taskId}: ${f.expected} → ${f.actual}`,
      );
    }
  }
  if (s.unexpected.length > 0) {
    lines.push(`  unexpected outcomes (${s.unexpected.length}):`);
    for (const u of s.unexpected.slice(0, 20)) lines.push(`    ${u}`);
    if (s.unexpected.length > 20) lines.push(`    … and ${s.unexpected.length - 20} more`);
  }
  return lines.join('\n');
}
