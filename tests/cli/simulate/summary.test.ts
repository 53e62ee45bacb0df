import { describe, expect, it } from 'vitest';
import { EXPECTED_OUTCOMES, NO_FAULTS } from '../../../cli/simulate/faults.ts';
import { planSimulation } from '../../../cli/simulate/plan.ts';
import type { SimulationTask } from '../../../cli/simulate/plan.ts';
import { formatSummary, percentile, summarize } from '../../../cli/simulate/summary.ts';
import type { TaskOutcome, TaskResult } from '../../../cli/simulate/summary.ts';

const plan = planSimulation({
  reports: Array.from({ length: 20 }, (_, i) => ({
    truthIndex: i,
    precinctId: `P${i}`,
    contestId: 'OB',
  })),
  faults: { ...NO_FAULTS, retry: 1, tampered: 1, foreign: 1 },
  seed: 's',
  revokedStations: [],
});

/** What a correct server answers to each task. */
function correctOutcome(task: SimulationTask): TaskOutcome {
  if (task.type === 'genuine')
    return { status: 'ACCEPTED', revision: 1, sequence: 1, receiptCode: 'ABCD-EFGH' };
  const expected = EXPECTED_OUTCOMES[task.type];
  return expected.kind === 'REFUSED'
    ? { status: 'REFUSED', code: expected.code, stage: 'report' }
    : { status: 'ACCEPTED', revision: 1, sequence: 1, receiptCode: 'X' };
}

describe('summarize', () => {
  describe('when every task ends as expected', () => {
    const results: TaskResult[] = plan.tasks.map((task) => ({
      task,
      outcome: correctOutcome(task),
    }));
    const summary = summarize({
      plan,
      results,
      sends: [
        { latencyMs: 10, status: 'ACCEPTED' },
        { latencyMs: 30, status: 'ACCEPTED', repeat: true },
        { latencyMs: 20, status: 'REFUSED', code: 'DECRYPTION_FAILED' },
      ],
      durationMs: 2000,
    });

    it('is ok, with every genuine report accepted and every fault as expected', () => {
      expect(summary.ok).toBe(true);
      expect(summary.unexpected).toEqual([]);
      expect(summary.genuine).toEqual({ expected: 20, accepted: 20 });
      expect(summary.faults.map((f) => f.ok)).toEqual([true, true, true]);
    });

    it('counts sends by outcome and refusals by code, and measures latency and rate', () => {
      expect(summary).toMatchObject({
        sends: 3,
        accepted: 1,
        acceptedRepeats: 1,
        refused: 1,
        errors: 0,
      });
      expect(summary.refusedByCode).toEqual({ DECRYPTION_FAILED: 1 });
      expect(summary.latencyMs).toEqual({ p50: 20, p99: 30, max: 30 });
      expect(summary.reportsPerSecond).toBeCloseTo(1.5);
      expect(formatSummary(summary)).toContain('Simulation OK');
    });
  });

  describe('when a fault is refused with another code than expected', () => {
    const tampered = plan.tasks.find((t) => t.type === 'tampered')!;
    const results: TaskResult[] = plan.tasks.map((task) =>
      task === tampered
        ? { task, outcome: { status: 'REFUSED', code: 'ENVELOPE_MALFORMED', stage: 'report' } }
        : { task, outcome: correctOutcome(task) },
    );
    const summary = summarize({ plan, results, sends: [], durationMs: 1 });

    it('is not ok and names the fault with expected and actual code', () => {
      expect(summary.ok).toBe(false);
      const check = summary.faults.find((f) => f.kind === 'tampered')!;
      expect(check).toMatchObject({
        ok: false,
        expected:
          EXPECTED_OUTCOMES.tampered.kind === 'REFUSED' ? EXPECTED_OUTCOMES.tampered.code : '',
        actual: 'ENVELOPE_MALFORMED',
      });
      expect(summary.unexpected).toHaveLength(1);
      expect(formatSummary(summary)).toContain('FAIL');
    });
  });

  describe('when a genuine report is refused, or a retry reports a problem, or a task never ran', () => {
    const [refusedTask, retryTask] = [
      plan.tasks.find((t) => t.type === 'genuine' && t.mode === 'plain')!,
      plan.tasks.find((t) => t.type === 'genuine' && t.mode === 'retry')!,
    ];
    const results: TaskResult[] = plan.tasks
      .filter((t) => t.type !== 'foreign')
      .map((task) =>
        task === refusedTask
          ? { task, outcome: { status: 'REFUSED', code: 'PLAUSIBILITY_ERROR', stage: 'report' } }
          : task === retryTask
            ? { task, outcome: correctOutcome(task), problem: 'repeat got a different receipt' }
            : { task, outcome: correctOutcome(task) },
      );
    const summary = summarize({ plan, results, sends: [], durationMs: 1 });

    it('lists each as unexpected', () => {
      expect(summary.ok).toBe(false);
      expect(summary.unexpected).toHaveLength(3);
      expect(summary.genuine.accepted).toBe(19);
      expect(summary.faults.find((f) => f.kind === 'retry')!.ok).toBe(false);
      expect(summary.faults.find((f) => f.kind === 'foreign')!.actual).toBe('NOT RUN');
    });
  });
});

describe('percentile (nearest rank)', () => {
  it('gives the sample at rank ceil(p/100 · n)', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile([], 50)).toBe(0);
  });
});
