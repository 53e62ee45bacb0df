import { describe, expect, it } from 'vitest';
import { headline, toMarkdown } from '../../bench/intake/report.ts';
import { level, report } from './report-fixture.ts';

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

describe('the intake report, work that trails the last answer', () => {
  const settledLevel = {
    ...level(256),
    settleSeconds: 14.4,
    settled: true,
    atLastAnswer: { serverCpuMsPerReport: 1.25, serverPeakRssMb: 350 },
  };

  it('counts CPU and peak memory until the server settled, and gives the figures at the last answer beside', () => {
    expect(headline(report([settledLevel]))).toMatchObject({
      serverCpuMsPerReport: 1.5,
      efficiency: 0.333,
      serverPeakRssMb: 400,
      settleSeconds: 14,
      atLastAnswer: { serverCpuMsPerReport: 1.25, efficiency: 0.4, serverPeakRssMb: 350 },
    });
    expect(toMarkdown(report([settledLevel]))).toContain('| 1.0 | 14 (1.25, 350) |');
  });

  it('says where the server had not settled, and shows nothing for reports from before', () => {
    const busy = { ...settledLevel, settleSeconds: 120, settled: false };
    expect(toMarkdown(report([busy]))).toContain('| not within 120 (1.25, 350) |');
    expect(toMarkdown(report([level(256)]))).toContain('| 1.0 | – |');
    expect(headline(report([level(256)]))).not.toHaveProperty('atLastAnswer');
  });
});
