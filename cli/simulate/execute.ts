import type { ResendPolicy, StationClient } from '../../api/index.ts';
import type { Schnellmeldung } from '../../election/index.ts';
import type { JsonHttpClient } from './http.ts';
import { openSession, sendReport } from './transmit.ts';
import type { SendAnswer, SessionAnswer } from './transmit.ts';
import type { SimulationTask } from './plan.ts';
import type { TaskOutcome, TaskResult } from './summary.ts';
import type { Station, StationSource } from './station.ts';
import { asCorrection, tamperEnvelope, withTransposition } from './variants.ts';

/** Shared state of one simulation run: stations and sessions are opened once and reused. */
export type ExecutionContext = {
  readonly client: StationClient;
  /** cuts a connection right after the request is written (the `retry` fault) */
  readonly dropper: JsonHttpClient;
  readonly truth: readonly Schnellmeldung[];
  readonly stations: StationSource;
  readonly now: () => Date;
  /** waits (the resend back-off, the next TOTP code) */
  readonly sleep: (ms: number) => Promise<void>;
  /** how a kit sends the same bytes again after no answer or a 5xx */
  readonly resend: ResendPolicy;
  /** called after every POST /api/v1/reports that gave the final answer (progress, latency) */
  readonly onSend: (answer: SendAnswer) => void;
  /** called after every attempt that failed and is sent again (no answer, 5xx) */
  readonly onResend?: (failed: SendAnswer) => void;
  /** called after every session opening (challenge + proof + TOTP), with its duration */
  readonly onSession?: (latencyMs: number, answer: SessionAnswer) => void;
  /** called after a station's bundle was opened and its key unlocked, with the time it took */
  readonly onUnlock?: (ms: number) => void;
};

type Kit = { readonly station: Station; readonly session: SessionAnswer };

const REPORTS_PATH = '/api/v1/reports';

/** Caches one unlocked station and one session per bundle (a kit opens its session once). */
export class KitCache {
  private readonly kits = new Map<string, Promise<Kit>>();

  constructor(private readonly ctx: ExecutionContext) {}

  get(stationId: string, source: 'genuine' | 'revoked'): Promise<Kit> {
    const key = `${source}:${stationId}`;
    let kit = this.kits.get(key);
    if (kit === undefined) {
      kit = (async () => {
        const unlockStart = performance.now();
        const station = await this.ctx.stations[source](stationId);
        const sessionStart = performance.now();
        this.ctx.onUnlock?.(sessionStart - unlockStart);
        const session = await openSession(this.ctx.client, station, this.ctx, this.ctx.resend);
        this.ctx.onSession?.(performance.now() - sessionStart, session);
        return { station, session };
      })();
      this.kits.set(key, kit);
    }
    return kit;
  }
}

function toOutcome(answer: SendAnswer): TaskOutcome {
  switch (answer.kind) {
    case 'ACCEPTED':
      return {
        status: 'ACCEPTED',
        revision: answer.revision,
        sequence: answer.sequence,
        receiptCode: answer.receiptCode,
      };
    case 'REFUSED':
      return { status: 'REFUSED', code: answer.code, stage: 'report' };
    case 'ERROR':
      return { status: 'ERROR', message: answer.message };
  }
}

async function send(ctx: ExecutionContext, token: string, envelope: string): Promise<SendAnswer> {
  const answer = await sendReport(ctx.client, token, envelope, ctx.resend, ctx.onResend);
  ctx.onSend(answer);
  return answer;
}

/** Sends a report and, when accepted, checks its receipt; returns the outcome and any problem. */
async function sendChecked(
  ctx: ExecutionContext,
  kit: Kit & { session: { kind: 'OPEN'; token: string } },
  tally: Schnellmeldung,
  envelope: string,
): Promise<{ answer: SendAnswer; problem?: string }> {
  const answer = await send(ctx, kit.session.token, envelope);
  if (answer.kind !== 'ACCEPTED') return { answer };
  const problem = await kit.station.checkReceipt(answer, { tally, envelope }, ctx.now());
  if (problem !== undefined) return { answer, problem };
  if (answer.revision !== tally.revision) {
    return { answer, problem: `receipt for revision ${answer.revision}, sent ${tally.revision}` };
  }
  return { answer };
}

/** retry: the first send is cut off after writing; the re-send and one more must give the SAME receipt. */
async function sendWithRetry(
  ctx: ExecutionContext,
  kit: Kit & { session: { kind: 'OPEN'; token: string } },
  tally: Schnellmeldung,
  envelope: string,
): Promise<{ answer: SendAnswer; problem?: string }> {
  await ctx.dropper.postAndDrop(REPORTS_PATH, envelope, kit.session.token);
  const first = await sendChecked(ctx, kit, tally, envelope);
  if (first.answer.kind !== 'ACCEPTED' || first.problem !== undefined) return first;
  const again = await sendChecked(ctx, kit, tally, envelope);
  if (again.answer.kind !== 'ACCEPTED')
    return { answer: again.answer, problem: 'repeat not accepted' };
  if (!again.answer.repeat)
    return { answer: again.answer, problem: 'repeat was stored as new (201)' };
  if (
    again.answer.receiptCode !== first.answer.receiptCode ||
    again.answer.sequence !== first.answer.sequence
  ) {
    return { answer: again.answer, problem: 'repeat got a different receipt' };
  }
  return again;
}

async function runGenuine(
  ctx: ExecutionContext,
  kit: Kit & { session: { kind: 'OPEN'; token: string } },
  task: SimulationTask & { type: 'genuine' },
  truth: Schnellmeldung,
): Promise<{ answer: SendAnswer; problem?: string }> {
  const now = ctx.now();
  switch (task.mode) {
    case 'plain':
      return sendChecked(ctx, kit, truth, await kit.station.seal(truth, now));
    case 'retry':
      return sendWithRetry(ctx, kit, truth, await kit.station.seal(truth, now));
    case 'correction': {
      const wrong = withTransposition(truth);
      const first = await sendChecked(ctx, kit, wrong, await kit.station.seal(wrong, now));
      if (first.answer.kind !== 'ACCEPTED' || first.problem !== undefined) {
        return { ...first, problem: first.problem ?? 'the wrong first revision was not accepted' };
      }
      const correction = asCorrection(truth);
      return sendChecked(ctx, kit, correction, await kit.station.seal(correction, ctx.now()));
    }
  }
}

/**
 * Runs one task as a kit would: unlock the station, open (or reuse) its session, seal and send,
 * check the receipt. Never throws for server answers; they become the task's outcome.
 */
export async function executeTask(
  ctx: ExecutionContext,
  kits: KitCache,
  task: SimulationTask,
): Promise<TaskResult> {
  const truth = ctx.truth[task.truthIndex]!;
  try {
    const kit = await kits.get(task.stationId, task.type === 'revoked' ? 'revoked' : 'genuine');
    if (kit.session.kind === 'REFUSED') {
      return { task, outcome: { status: 'REFUSED', code: kit.session.code, stage: 'session' } };
    }
    if (kit.session.kind === 'ERROR') {
      return { task, outcome: { status: 'ERROR', message: kit.session.message } };
    }
    const open = { ...kit, session: kit.session };
    let result: { answer: SendAnswer; problem?: string };
    switch (task.type) {
      case 'genuine':
        result = await runGenuine(ctx, open, task, truth);
        break;
      case 'tampered':
        result = {
          answer: await send(
            ctx,
            kit.session.token,
            tamperEnvelope(await kit.station.seal(truth, ctx.now())),
          ),
        };
        break;
      case 'foreign':
        result = {
          answer: await send(
            ctx,
            kit.session.token,
            await kit.station.sealForeign(truth, ctx.now()),
          ),
        };
        break;
      case 'crossed': {
        const sealer = await kits.get(task.sealedBy, 'genuine');
        result = {
          answer: await send(ctx, kit.session.token, await sealer.station.seal(truth, ctx.now())),
        };
        break;
      }
      case 'revoked':
        result = await sendChecked(ctx, open, truth, await kit.station.seal(truth, ctx.now()));
        break;
    }
    const outcome = toOutcome(result.answer);
    return result.problem === undefined
      ? { task, outcome }
      : { task, outcome, problem: result.problem };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { task, outcome: { status: 'ERROR', message } };
  }
}
