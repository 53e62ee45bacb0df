import { describe, expect, it } from 'vitest';
import { settle } from '../../bench/servers/cpu.ts';

/** A process whose CPU seconds grow by the given amounts, one per reading after the first. */
function cpuGrowing(steps: readonly number[]) {
  let used = 0;
  let reading = 0;
  const cpuSeconds = () => {
    if (reading > 0) used += steps[reading - 1] ?? 0;
    reading += 1;
    return used;
  };
  return { cpuSeconds, readings: () => reading };
}

describe('waiting for the server to settle after the last answer', () => {
  it('is done at once when the server is idle', async () => {
    const cpu = cpuGrowing([0]);
    await expect(settle(1, { cpuSeconds: cpu.cpuSeconds, windowMs: 10 })).resolves.toEqual({
      seconds: 0,
      settled: true,
    });
    expect(cpu.readings()).toBe(2);
  });

  it('waits through the windows in which the server still works (the publication catching up)', async () => {
    // a whole core busy for three windows, then nothing
    const cpu = cpuGrowing([1, 1, 1, 0]);
    const result = await settle(1, { cpuSeconds: cpu.cpuSeconds, windowMs: 10 });
    expect(result.settled).toBe(true);
    expect(result.seconds).toBeGreaterThan(0);
    expect(cpu.readings()).toBe(5);
  });

  it('says so when the server is still busy at the limit', async () => {
    const cpu = cpuGrowing(Array.from({ length: 1000 }, () => 1));
    const result = await settle(1, { cpuSeconds: cpu.cpuSeconds, windowMs: 10, limitMs: 50 });
    expect(result.settled).toBe(false);
    expect(cpu.readings()).toBeLessThan(1000);
  });
});
