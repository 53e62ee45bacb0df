import { describe, expect, it } from 'vitest';
import { DEFAULT_FAULTS, NO_FAULTS } from '../../../cli/simulate/faults.ts';
import { planSimulation } from '../../../cli/simulate/plan.ts';
import type { TruthReportRef } from '../../../cli/simulate/plan.ts';

const reports = (n: number): TruthReportRef[] =>
  Array.from({ length: n }, (_, i) => ({
    truthIndex: i,
    precinctId: `P${String(i).padStart(4, '0')}`,
    contestId: 'OB',
  }));

describe('planSimulation', () => {
  describe('without faults', () => {
    it('sends every truth report exactly once, by its own station', () => {
      const plan = planSimulation({
        reports: reports(50),
        faults: NO_FAULTS,
        seed: '1',
        revokedStations: [],
      });
      expect(plan.tasks).toHaveLength(50);
      expect(plan.faults).toHaveLength(0);
      const indices = plan.tasks.map((t) => t.truthIndex).sort((a, b) => a - b);
      expect(indices).toEqual(reports(50).map((r) => r.truthIndex));
      for (const t of plan.tasks) {
        expect(t.type).toBe('genuine');
        expect(t.stationId).toBe(reports(50)[t.truthIndex]!.precinctId);
      }
    });

    it('shuffles the order reproducibly: the same seed gives the same plan, another seed another order', () => {
      const input = { reports: reports(40), faults: NO_FAULTS, revokedStations: [] };
      const a = planSimulation({ ...input, seed: 'a' });
      const again = planSimulation({ ...input, seed: 'a' });
      const b = planSimulation({ ...input, seed: 'b' });
      expect(again).toEqual(a);
      expect(b.tasks.map((t) => t.id)).not.toEqual(a.tasks.map((t) => t.id));
    });
  });

  describe('with the default fault mix', () => {
    const plan = planSimulation({
      reports: reports(100),
      faults: DEFAULT_FAULTS,
      seed: '42',
      revokedStations: ['P0007', 'P0008'],
    });

    it('lists one fault per requested fault, of each kind as many as asked', () => {
      for (const [kind, count] of Object.entries(DEFAULT_FAULTS)) {
        expect(plan.faults.filter((f) => f.kind === kind)).toHaveLength(count);
      }
    });

    it('still sends every genuine report once, retries and corrections among them', () => {
      const genuine = plan.tasks.filter((t) => t.type === 'genuine');
      expect(genuine).toHaveLength(100);
      const modes = genuine.map((t) => (t.type === 'genuine' ? t.mode : 'x'));
      expect(modes.filter((m) => m === 'retry')).toHaveLength(DEFAULT_FAULTS.retry);
      expect(modes.filter((m) => m === 'correction')).toHaveLength(DEFAULT_FAULTS.correction);
    });

    it('uses distinct precincts for different faults', () => {
      const faultTasks = plan.faults.map((f) => plan.tasks.find((t) => t.id === f.taskId)!);
      const stations = faultTasks.filter((t) => t.type !== 'revoked').map((t) => t.stationId);
      expect(new Set(stations).size).toBe(stations.length);
    });

    it("makes a foreign fault a station sealing another precinct's report", () => {
      for (const t of plan.tasks.filter((x) => x.type === 'foreign')) {
        expect(reports(100)[t.truthIndex]!.precinctId).not.toBe(t.stationId);
      }
    });

    it("makes a crossed fault another station's own report, sent over a different session", () => {
      for (const t of plan.tasks.filter((x) => x.type === 'crossed')) {
        if (t.type !== 'crossed') continue;
        expect(reports(100)[t.truthIndex]!.precinctId).toBe(t.sealedBy);
        expect(t.sealedBy).not.toBe(t.stationId);
      }
    });

    it('takes revoked faults from the revoked bundles only', () => {
      for (const t of plan.tasks.filter((x) => x.type === 'revoked')) {
        expect(['P0007', 'P0008']).toContain(t.stationId);
      }
    });
  });

  describe('when there are too few precincts for the faults', () => {
    it('refuses with NOT_ENOUGH_PRECINCTS', () => {
      expect(() =>
        planSimulation({
          reports: reports(3),
          faults: DEFAULT_FAULTS,
          seed: '1',
          revokedStations: ['P0001'],
        }),
      ).toThrow(expect.objectContaining({ code: 'NOT_ENOUGH_PRECINCTS' }));
    });

    it('refuses revoked faults without revoked bundles', () => {
      expect(() =>
        planSimulation({
          reports: reports(50),
          faults: { ...NO_FAULTS, revoked: 1 },
          seed: '1',
          revokedStations: [],
        }),
      ).toThrow(expect.objectContaining({ code: 'NOT_ENOUGH_PRECINCTS' }));
    });
  });
});
