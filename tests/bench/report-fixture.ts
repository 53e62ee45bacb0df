import type { IntakeReport } from '../../bench/intake/report.ts';
import type { LevelResult, ScenarioResult } from '../../bench/intake/scenario.ts';

/** A benchmark report's parts with plain figures, for the report's own tests. */
export const level = (concurrency: number, byThread?: Record<string, number>): LevelResult => ({
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

export const scenario = (levels: LevelResult[]): ScenarioResult => ({
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

export const report = (levels: LevelResult[]): IntakeReport => ({
  date: '2026-12-07T10:00:00.000Z',
  command: 'npm run bench:intake',
  machine: { cpu: 'test', cores: 2, memoryGiB: 8, node: 'v20', os: 'Linux' },
  loadAverage: { start: 0.2, end: 2 },
  targets: { reportsPerSecond: 500, ratioToLimit: 0.5, p99Ms: 100 },
  scenarios: [scenario(levels)],
});
