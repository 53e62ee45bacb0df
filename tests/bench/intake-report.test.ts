import { describe, expect, it } from 'vitest';
import { headline, toMarkdown, type IntakeReport } from '../../bench/intake/report.ts';
import type { LevelResult, ScenarioResult } from '../../bench/intake/scenario.ts';

const level = (concurrency: number, byThread?: Record<string, number>): LevelResult => ({
  concurrency,
  reports: 1000,
  accepted: 1000,
  other: {},
  seconds: 1,
  reportsPerSecond: 1000,
  latencyMs: { p50: 20, p99: 90, max: 120 },
  serverCpuSeconds: 1.5,
  serverCpuMsPerReport: 1.5,
  ...(byThread === undefined ? {} : { serverCpuMsPerReportByThread: byThread }),
  serverPeakRssMb: 400,
  loadGeneratorCpuSeconds: 0.4,
  totalsMatchTruth: true,
  reportsCounted: 1000,
  serverStartSeconds: { ready: 1, warm: 2 },
});

const scenario = (levels: LevelResult[]): ScenarioResult => ({
  name: 'germany-btw2025',
  shape: 'germany-btw2025',
  precincts: 1000,
  stations: 1000,
  revisionsPerStation: 1,
  correctionShare: 0,
  reports: 1000,
  setupSeconds: { office: 0, prepare: 0 },
  preparedFromCache: true,
  cryptoLimit: {
    workers: 2,
    opened: 100,
    perSecond: 3000,
    coldPerSecond: 2000,
    cpuMsPerReport: 0.5,
  },
  levels,
});

const report = (levels: LevelResult[]): IntakeReport => ({
  date: '2026-12-07T10:00:00.000Z',
  command: 'npm run bench:intake',
  machine: { cpu: 'test', cores: 2, memoryGiB: 8, node: 'v20', os: 'Linux' },
  loadAverage: { start: 0.2, end: 2 },
  targets: { reportsPerSecond: 500, ratioToLimit: 0.5, p99Ms: 100 },
  scenarios: [scenario(levels)],
});

describe('the intake report, CPU per report by server thread', () => {
  const split = { verify: 0.6, main: 0.3, other: 0.2, publication: 0.25, writer: 0.15 };

  it('is a table in the order a report passes the threads, each row adding up to its level', () => {
    const md = toMarkdown(report([level(64, split), level(256, split)]));
    expect(md).toContain('| level | main | verify | writer | publication | other | all |');
    expect(md).toContain(
      '| germany-btw2025 at 256 kits | 0.30 | 0.60 | 0.15 | 0.25 | 0.20 | 1.50 |',
    );
  });

  it('is in the headline JSON line of the quick run, rounded', () => {
    expect(headline(report([level(256, { ...split, main: 0.123456 })]))).toMatchObject({
      serverCpuMsPerReport: 1.5,
      serverCpuMsPerReportByThread: { main: 0.123, verify: 0.6 },
    });
  });

  it('is left out where the server named no threads (older reports, other systems)', () => {
    const r = report([level(256)]);
    expect(toMarkdown(r)).not.toContain('| level | main |');
    expect(headline(r)).not.toHaveProperty('serverCpuMsPerReportByThread');
  });
});
