import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  FourEyesViewSchema,
  type FourEyesEvent,
  type FourEyesView,
} from '../../../election/index.ts';
import type {
  IpcError,
  IpcReply,
  KitBridge,
  KitStatus,
  OutboxItem,
  PaperRecord,
} from '../../shared/index.ts';

/**
 * The renderer's whole model of the kit: what main last said (status, the entry of the active
 * contest, the outbox) and the last refusal. Every call goes through one queue, so a field
 * committed on blur and the "fertig" click that caused the blur reach main in order.
 */
export type KitModel = {
  readonly status: KitStatus | null;
  readonly contestId: string | null;
  readonly entry: FourEyesView | null;
  readonly outbox: readonly OutboxItem[];
  readonly error: IpcError | null;
  readonly busy: boolean;
};

export type KitActions = {
  readonly install: (candidateId: string, rootFingerprint: string) => Promise<boolean>;
  readonly unlock: (passphrase: string) => Promise<boolean>;
  readonly openSession: (totp: string) => Promise<boolean>;
  readonly dispatch: (event: FourEyesEvent) => Promise<boolean>;
  readonly signAndSeal: () => Promise<boolean>;
  readonly sendNow: () => Promise<boolean>;
  readonly paperRecord: (outboxId: string) => Promise<PaperRecord | null>;
  readonly printPaper: (outboxId: string) => Promise<{ file: string; bytes: number } | null>;
  readonly clearError: () => void;
};

const POLL_MS = 1500;
const FINAL_STATES: ReadonlySet<OutboxItem['state']> = new Set(['CONFIRMED', 'REFUSED']);

export function useKit(kit: KitBridge): [KitModel, KitActions] {
  const [status, setStatus] = useState<KitStatus | null>(null);
  const [entry, setEntry] = useState<FourEyesView | null>(null);
  const [outbox, setOutbox] = useState<readonly OutboxItem[]>([]);
  const [error, setError] = useState<IpcError | null>(null);
  const [queued, setQueued] = useState(0);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const inFlight = useRef(new Map<string, Promise<unknown>>());
  const contestId = status?.station?.contests[0]?.id ?? null;

  /**
   * Runs one call after the previous ones; a refusal is shown, never thrown. `busy` counts every
   * call from the moment it is queued until it is answered. Buttons stay enabled while busy (a
   * click right after typing must not be lost); instead the same call (`key`) queued twice runs
   * once, so a double click cannot send "fertig" twice.
   */
  const call = useCallback(<T>(key: string, run: () => Promise<IpcReply<T>>): Promise<T | null> => {
    const existing = inFlight.current.get(key);
    if (existing !== undefined) return existing as Promise<T | null>;
    setQueued((n) => n + 1);
    const result = queue.current.then(async () => {
      try {
        const reply = await run();
        if (!reply.ok) {
          setError(reply.error);
          return null;
        }
        setError(null);
        return reply.value;
      } finally {
        inFlight.current.delete(key);
        setQueued((n) => n - 1);
      }
    });
    inFlight.current.set(key, result);
    queue.current = result.catch(() => undefined);
    return result;
  }, []);
  const busy = queued > 0;

  const takeEntry = useCallback((value: unknown): boolean => {
    const parsed = FourEyesViewSchema.safeParse(value);
    if (parsed.success) setEntry(parsed.data);
    return parsed.success;
  }, []);

  const refresh = useCallback(async () => {
    const next = await call('status', () => kit.getStatus({}));
    if (next === null) return;
    setStatus(next);
    const contest = next.station?.contests[0]?.id;
    if (next.session.state !== 'OPEN' || contest === undefined) return;
    const view = await call('entry', () => kit.getEntry({ contestId: contest }));
    if (view !== null) takeEntry(view);
    const items = await call('outbox', () => kit.listOutbox({}));
    if (items !== null) setOutbox(items);
  }, [call, kit, takeEntry]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const pending = outbox.some((item) => !FINAL_STATES.has(item.state));
  useEffect(() => {
    if (!pending) return undefined;
    const timer = setInterval(() => {
      void kit.listOutbox({}).then((reply) => {
        if (reply.ok) setOutbox(reply.value);
      });
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [kit, pending]);

  const actions = useMemo<KitActions>(
    () => ({
      install: async (candidateId, rootFingerprint) => {
        const ok =
          (await call('install', () => kit.installBundle({ candidateId, rootFingerprint }))) !==
          null;
        if (ok) await refresh();
        return ok;
      },
      unlock: async (passphrase) => {
        const ok = (await call('unlock', () => kit.unlock({ passphrase }))) !== null;
        await refresh();
        return ok;
      },
      openSession: async (totp) => {
        const ok = (await call('session', () => kit.openSession({ totp }))) !== null;
        if (ok) await refresh();
        return ok;
      },
      dispatch: async (event) => {
        if (contestId === null) return false;
        const view = await call(`event:${JSON.stringify(event)}`, () =>
          kit.dispatchEntry({ contestId, event }),
        );
        return view !== null && takeEntry(view);
      },
      signAndSeal: async () => {
        if (contestId === null) return false;
        const sealed = await call('seal', () => kit.sealReport({ contestId }));
        await refresh();
        return sealed !== null;
      },
      sendNow: async () => {
        const items = await call('send-now', () => kit.sendNow({}));
        if (items !== null) setOutbox(items);
        return items !== null;
      },
      paperRecord: (outboxId) => call(`paper:${outboxId}`, () => kit.getPaperRecord({ outboxId })),
      printPaper: (outboxId) => call(`print:${outboxId}`, () => kit.printPaperRecord({ outboxId })),
      clearError: () => setError(null),
    }),
    [call, contestId, kit, refresh, takeEntry],
  );

  return [{ status, contestId, entry, outbox, error, busy }, actions];
}
