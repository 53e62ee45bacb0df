import {
  ApiClientError,
  DEFAULT_BACKOFF,
  StationClient,
  type BackoffConfig,
} from '../../api/index.ts';
import { SimulationError } from './error.ts';
import type { Schnellmeldung } from '../../election/index.ts';
import { executeTask, KitCache } from './execute.ts';
import type { ExecutionContext } from './execute.ts';
import type { FaultCounts } from './faults.ts';
import { JsonHttpClient } from './http.ts';
import { planSimulation } from './plan.ts';
import type { SimulationPlan } from './plan.ts';
import { realPacing, runPaced } from './pool.ts';
import { formatProgress, ProgressCounter } from './progress.ts';
import type { SendAnswer } from './transmit.ts';
import type { StationSource } from './station.ts';
import { summarize } from './summary.ts';
import type { SendRecord, SimulationSummary, TaskResult } from './summary.ts';

export type SimulationOptions = {
  readonly serverUrl: string;
  /**
   * the office's root CA (PEM): for an https:// server the ONLY trust anchor of the connection,
   * as the kit pins it (required for https)
   */
  readonly rootCaPem?: string;
  readonly truth: readonly Schnellmeldung[];
  readonly stations: StationSource;
  readonly faults: FaultCounts;
  /** station ids in the revoked-bundle directory (for `revoked` faults) */
  readonly revokedStations: readonly string[];
  readonly seed: string;
  readonly concurrency: number;
  readonly durationMs: number;
  readonly now?: () => Date;
  /** attempts per request in all, when no answer came or the server answered 5xx (default 8: about two to four minutes) */
  readonly maxAttempts?: number;
  /** the wait between attempts (default: the kit's, 2 s doubling to 2 min, with jitter) */
  readonly backoff?: BackoffConfig;
  /** called about once a second with a progress line; default: none */
  readonly onProgress?: (line: string) => void;
  readonly progressIntervalMs?: number;
  /** called once, when the first report is accepted, with the milliseconds since the run began */
  readonly onFirstAccepted?: (ms: number) => void;
};

export type SimulationRun = {
  readonly plan: SimulationPlan;
  readonly results: readonly TaskResult[];
  readonly summary: SimulationSummary;
  /** milliseconds from the start of the run to the first accepted report */
  readonly firstAcceptedMs: number | undefined;
};

function toRecord(answer: SendAnswer): SendRecord {
  switch (answer.kind) {
    case 'ACCEPTED':
      return { latencyMs: answer.latencyMs, status: 'ACCEPTED', repeat: answer.repeat };
    case 'REFUSED':
      return { latencyMs: answer.latencyMs, status: 'REFUSED', code: answer.code };
    case 'ERROR':
      return { latencyMs: answer.latencyMs, status: 'ERROR' };
  }
}

/**
 * Before any kit sends: does the server show a certificate of the pinned root? If not, stop at
 * once with one clear error instead of a thousand failed kits (a server that is merely down is
 * left to the resends).
 */
async function refuseUntrusted(client: StationClient, serverUrl: string): Promise<void> {
  try {
    await client.health();
  } catch (error) {
    if (error instanceof ApiClientError && error.code === 'TLS_REFUSED') {
      await client.close();
      throw new SimulationError('SERVER_NOT_TRUSTED', `${serverUrl}: ${error.message}`, {
        cause: error,
      });
    }
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Simulates election night against a running server: plans the sends (genuine reports and
 * injected faults), runs them paced over the duration with bounded concurrency, and compares
 * every outcome with what was expected.
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationRun> {
  const plan = planSimulation({
    reports: options.truth.map((t, truthIndex) => ({
      truthIndex,
      precinctId: t.precinctId,
      contestId: t.contestId,
    })),
    faults: options.faults,
    seed: options.seed,
    revokedStations: options.revokedStations,
  });
  const https = new URL(options.serverUrl).protocol === 'https:';
  if (https && options.rootCaPem === undefined) {
    await options.stations.close?.();
    throw new SimulationError('ROOT_CA_REQUIRED', options.serverUrl);
  }
  const pinned = options.rootCaPem === undefined ? {} : { rootCaPem: options.rootCaPem };
  const client = new StationClient({
    serverUrl: options.serverUrl,
    connections: options.concurrency,
    ...pinned,
  });
  if (https) {
    await refuseUntrusted(client, options.serverUrl).catch(async (error: unknown) => {
      await options.stations.close?.();
      throw error;
    });
  }
  const dropper = new JsonHttpClient(options.serverUrl, { maxSockets: 2, ...pinned });
  const startedAt = performance.now();
  const progress = new ProgressCounter(plan.tasks.length, startedAt);
  const sends: SendRecord[] = [];
  const sessionMs: number[] = [];
  const unlockMs: number[] = [];
  let resent = 0;
  const ctx: ExecutionContext = {
    client,
    dropper,
    truth: options.truth,
    stations: options.stations,
    now: options.now ?? (() => new Date()),
    sleep,
    resend: {
      maxAttempts: options.maxAttempts ?? 8,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      random: Math.random,
      sleep,
      onRetry: () => (resent += 1),
    },
    onResend: (failed) => sends.push({ ...toRecord(failed), resent: true }),
    onSend: (answer) => {
      sends.push(toRecord(answer));
      const first = progress.firstAcceptedAtMs;
      progress.onSend(answer);
      if (first === undefined && progress.firstAcceptedAtMs !== undefined) {
        options.onFirstAccepted?.(progress.firstAcceptedAtMs);
      }
    },
    onSession: (ms) => sessionMs.push(ms),
    onUnlock: (ms) => unlockMs.push(ms),
  };
  const kits = new KitCache(ctx);
  const results: TaskResult[] = [];
  const onProgress = options.onProgress;
  const timer =
    onProgress === undefined
      ? undefined
      : setInterval(
          () => onProgress(formatProgress(progress.snapshot())),
          options.progressIntervalMs ?? 1000,
        );
  try {
    await runPaced(
      plan.tasks,
      realPacing(options.concurrency, options.durationMs),
      async (task) => {
        results.push(await executeTask(ctx, kits, task));
        progress.done += 1;
      },
    );
  } finally {
    if (timer !== undefined) clearInterval(timer);
    await client.close();
    dropper.close();
    await options.stations.close?.();
  }
  onProgress?.(formatProgress(progress.snapshot()));
  const durationMs = performance.now() - startedAt;
  const summary = summarize({ plan, results, sends, durationMs, sessionMs, unlockMs, resent });
  return { plan, results, summary, firstAcceptedMs: progress.firstAcceptedAtMs };
}
