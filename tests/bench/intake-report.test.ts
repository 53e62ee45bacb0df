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
