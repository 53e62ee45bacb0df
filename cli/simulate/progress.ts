import type { SendAnswer } from './transmit.ts';

export type ProgressSnapshot = {
  readonly done: number;
  readonly total: number;
  readonly sends: number;
  readonly accepted: number;
  readonly refused: number;
  readonly errors: number;
  readonly elapsedMs: number;
};

/** Counts sends and finished tasks as they happen, for the progress line. */
export class ProgressCounter {
  done = 0;
  sends = 0;
  accepted = 0;
  refused = 0;
  errors = 0;
  firstAcceptedAtMs: number | undefined;

  constructor(
    readonly total: number,
    private readonly startedAt: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  onSend(answer: SendAnswer): void {
    this.sends += 1;
    if (answer.kind === 'ACCEPTED') {
      this.accepted += 1;
      this.firstAcceptedAtMs ??= this.clock() - this.startedAt;
    } else if (answer.kind === 'REFUSED') this.refused += 1;
    else this.errors += 1;
  }

  snapshot(): ProgressSnapshot {
    return {
      done: this.done,
      total: this.total,
      sends: this.sends,
      accepted: this.accepted,
      refused: this.refused,
      errors: this.errors,
      elapsedMs: this.clock() - this.startedAt,
    };
  }
}

/** `412/1286 kits done · 418 sent · 410 accepted · 6 refused · 0 errors · 21.3/s · 19 s` */
export function formatProgress(p: ProgressSnapshot): string {
  const seconds = p.elapsedMs / 1000;
  const rate = seconds > 0 ? p.sends / seconds : 0;
  return (
    `${p.done}/${p.total} kits done · ${p.sends} sent · ${p.accepted} accepted · ` +
    `${p.refused} refused · ${p.errors} errors · ${rate.toFixed(1)}/s · ${seconds.toFixed(0)} s`
  );
}
