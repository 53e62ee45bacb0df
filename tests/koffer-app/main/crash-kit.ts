import { StationClient } from '../../../api/index.ts';
import type { FourEyesEvent, Person } from '../../../election/index.ts';
import { APP_ORIGIN, createBridge, type KitBridge } from '../../../koffer-app/shared/index.ts';
import { createDispatch } from '../../../koffer-app/main/ipc/index.ts';
import { createKit, type Kit, type KitOptions } from '../../../koffer-app/main/kit.ts';
import { createBundleSource } from '../../../koffer-app/main/provisioning/candidates.ts';

/**
 * The crash test's kit: the composed main process (createKit) behind the dispatcher and the
 * bridge, on a data directory, talking to the test's server; used by the killed child process
 * and by the restart in the test process alike.
 */
export async function crashKit(
  dataDir: string,
  serverUrl: string,
  bundleFile: string,
  checkpoint?: KitOptions['checkpoint'],
): Promise<{ kit: Kit; bridge: KitBridge }> {
  const kit = await createKit({
    dataDir,
    bundles: createBundleSource({ files: [bundleFile], mediaDirs: [] }),
    clock: () => new Date(),
    random: () => 0,
    connect: ({ rootCaPem }) => new StationClient({ serverUrl, rootCaPem }),
    printer: async () => new Uint8Array(),
    backoff: { baseMs: 10, maxMs: 50 },
    ...(checkpoint === undefined ? {} : { checkpoint }),
  });
  const dispatch = createDispatch({ handlers: kit.handlers, trustedOrigin: APP_ORIGIN });
  const bridge = createBridge((channel, payload) =>
    dispatch(channel, payload, { url: `${APP_ORIGIN}/`, isMainFrame: true }),
  );
  return { kit, bridge };
}

export async function value<T>(
  reply: Promise<{ ok: true; value: T } | { ok: false; error: { code: string } }>,
): Promise<T> {
  const r = await reply;
  if (!r.ok) throw new Error(`refused: ${r.error.code}`);
  return r.value;
}

const maria: Person = { id: 'p-maria', name: 'Maria Müller', role: 'WAHLVORSTEHER' };
const jonas: Person = { id: 'p-jonas', name: 'Jonas Becker', role: 'SCHRIFTFUEHRER' };
const COUNTED = { A: 1100, B: 955, B1: 50, C: 5, D: 950, D1: 420, D2: 380, D3: 150 };

/** Both entries of the evening, up to READY_TO_SIGN. */
export const ENTRY_EVENTS: FourEyesEvent[] = [
  { type: 'START_FIRST_ENTRY', person: maria },
  ...Object.entries(COUNTED).map(([key, v]): FourEyesEvent => ({
    type: 'SET_VALUE',
    key,
    value: v,
  })),
  { type: 'FINISH_ENTRY' },
  { type: 'START_SECOND_ENTRY', person: jonas },
  ...Object.entries(COUNTED).map(([key, v]): FourEyesEvent => ({
    type: 'SET_VALUE',
    key,
    value: v,
  })),
  { type: 'FINISH_ENTRY' },
];
