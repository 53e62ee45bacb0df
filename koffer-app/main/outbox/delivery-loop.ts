/**
 * Keeps the outbox moving in the background: one delivery pass, then sleep until the next
 * report is due (at least `minDelayMs`, at most `idleDelayMs` so a report sealed meanwhile
 * or a session opened meanwhile is picked up). One pass at a time; `stop` ends the loop.
 */
export function startDeliveryLoop(options: {
  readonly deliverDue: () => Promise<number>;
  readonly nextDue: () => Promise<Date | undefined>;
  readonly clock: () => Date;
  readonly onError: (error: unknown) => void;
  readonly minDelayMs?: number;
  readonly idleDelayMs?: number;
}): { kick(): void; stop(): void } {
  const minDelay = options.minDelayMs ?? 500;
  const idleDelay = options.idleDelayMs ?? 5000;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let stopped = false;
  let again = false;

  const schedule = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(run, ms);
    timer.unref();
  };
  async function run(): Promise<void> {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await options.deliverDue();
      const due = await options.nextDue();
      const wait = due === undefined ? idleDelay : due.getTime() - options.clock().getTime();
      schedule(again ? 0 : Math.min(idleDelay, Math.max(minDelay, wait)));
    } catch (error) {
      options.onError(error);
      schedule(idleDelay);
    } finally {
      running = false;
      again = false;
    }
  }
  schedule(0);
  return {
    kick: () => schedule(0),
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
