import { percentile } from '../../cli/simulate/summary.ts';

/**
 * Publication lag: for every accepted report, the time from its receipt reaching the load
 * generator to the first moment a reader sees a snapshot that contains it (results.json with
 * lastSequence ≥ its sequence). The poller asks every `intervalMs` with If-None-Match, as a CDN
 * revalidating would; the figure is therefore exact to about one interval.
 */
export class LagProbe {
  private readonly accepted: { sequence: number; at: number }[] = [];
  private readonly seen: { lastSequence: number; at: number }[] = [];
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly resultsJsonUrl: string,
    private readonly intervalMs = 50,
  ) {}

  onAccepted = (sequence: number, at: number): void => {
    this.accepted.push({ sequence, at });
  };

  start(): void {
    this.running = true;
    this.loop = this.poll();
  }

  /** the highest sequence number accepted so far */
  get maxAccepted(): number {
    return this.accepted.reduce((m, a) => Math.max(m, a.sequence), 0);
  }

  /** Waits until a snapshot with lastSequence ≥ `sequence` has been seen (or `timeoutMs`). */
  async until(sequence: number, timeoutMs: number): Promise<void> {
    const end = performance.now() + timeoutMs;
    while (performance.now() < end && !this.seen.some((s) => s.lastSequence >= sequence)) {
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async poll(): Promise<void> {
    let etag = '';
    while (this.running) {
      const response = await fetch(this.resultsJsonUrl, {
        headers: etag === '' ? {} : { 'if-none-match': etag },
      });
      const at = performance.now();
      if (response.status === 200) {
        etag = response.headers.get('etag') ?? '';
        const body = (await response.json()) as { lastSequence: number };
        this.seen.push({ lastSequence: body.lastSequence, at });
      } else {
        await response.arrayBuffer();
      }
      await new Promise((r) => setTimeout(r, this.intervalMs));
    }
  }

  /** p50/p99/max lag in ms over the reports a snapshot was seen for, and how many were not seen. */
  result(): { reports: number; unseen: number; p50: number; p99: number; max: number } {
    const lags: number[] = [];
    let unseen = 0;
    let j = 0;
    const seen = [...this.seen].sort((a, b) => a.at - b.at);
    for (const a of [...this.accepted].sort((x, y) => x.sequence - y.sequence)) {
      // the first snapshot seen that contains the report (0 if it was out before the receipt)
      const hit = seen.find((s) => s.lastSequence >= a.sequence);
      if (hit === undefined) unseen += 1;
      else lags.push(Math.max(0, hit.at - a.at));
      j += 1;
    }
    return {
      reports: j,
      unseen,
      p50: percentile(lags, 50),
      p99: percentile(lags, 99),
      max: lags.reduce((m, x) => Math.max(m, x), 0),
    };
  }
}
