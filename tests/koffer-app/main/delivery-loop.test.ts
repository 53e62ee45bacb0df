import { describe, expect, it } from 'vitest';
import { startDeliveryLoop } from '../../../koffer-app/main/outbox/delivery-loop.ts';

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}

describe('the delivery loop', () => {
  it('delivers at once, again when due, on a kick, never two passes at a time, and stops', async () => {
    let passes = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const errors: unknown[] = [];
    const loop = startDeliveryLoop({
      deliverDue: async () => {
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        passes++;
        await new Promise((r) => setTimeout(r, 5));
        concurrent--;
        if (passes === 2) throw new Error('disk full');
        return 1;
      },
      nextDue: async () => new Date(),
      clock: () => new Date(),
      onError: (e) => errors.push(e),
      minDelayMs: 1,
      idleDelayMs: 20,
    });
    await until(() => passes >= 4);
    loop.kick();
    loop.kick();
    await until(() => passes >= 6);
    loop.stop();
    const stoppedAt = passes;
    await new Promise((r) => setTimeout(r, 100));
    expect(passes - stoppedAt).toBeLessThanOrEqual(1);
    expect(maxConcurrent).toBe(1);
    expect(errors).toHaveLength(1);
  });
});
