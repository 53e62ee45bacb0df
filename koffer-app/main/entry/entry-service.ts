import {
  FourEyesStateSchema,
  fourEyesView,
  registerPrefill,
  startFourEyes,
  transition,
  type FourEyesEnv,
  type FourEyesEvent,
  type FourEyesRefusal,
  type FourEyesState,
  type FourEyesView,
  type Schnellmeldung,
} from '../../../election/index.ts';
import { KitError } from '../error.ts';
import type { SealedStore } from '../storage/sealed-store.ts';

/** A refusal of the four-eyes machine, carried through IPC with its own code and messages. */
export class EntryRefusal extends Error {
  readonly code: string;
  readonly messages: { readonly de: string; readonly en: string };
  readonly fields: readonly string[];
  constructor(refusal: FourEyesRefusal) {
    super(`${refusal.code}: ${refusal.message.en}`);
    this.code = refusal.code;
    this.messages = refusal.message;
    this.fields = refusal.fields ?? [];
  }
}

const entryName = (contestId: string) => `entry-${contestId}`;

export type EntryService = {
  /** the entry as the form shows it: state, fields in paper order, live findings, allowed events */
  view(contestId: string): Promise<FourEyesView>;
  /** applies one event from the renderer; SIGN is refused here (it happens in `sign`) */
  dispatch(contestId: string, event: FourEyesEvent): Promise<FourEyesView>;
  /** READY_TO_SIGN → SIGNED without storing it yet: the report to seal and the state after it */
  sign(contestId: string): Promise<{ report: Schnellmeldung; signed: FourEyesState }>;
  /** stores a state computed by `sign`, once the report is safely in the outbox */
  save(contestId: string, state: FourEyesState): Promise<void>;
};

/**
 * The four-eyes data entry (election/'s pure machine) held and persisted by main: every event
 * the renderer sends is applied with `transition` and the new state written durably and
 * encrypted before the reply, so a crash or power cut mid-entry loses at most the keystroke in
 * flight. The renderer cannot sign: SIGN only happens in `sign`, from which main seals, so no
 * SIGNED state exists without its report in the outbox.
 */
export function createEntryService(options: {
  readonly store: SealedStore;
  readonly env: FourEyesEnv;
  readonly electionId: string;
  readonly precinctId: string;
}): EntryService {
  const load = async (contestId: string): Promise<FourEyesState> => {
    const stored = await options.store.get(entryName(contestId), FourEyesStateSchema);
    if (stored !== undefined) {
      if (
        stored.target.precinctId !== options.precinctId ||
        stored.target.contestId !== contestId
      ) {
        throw new KitError('ENTRY_STATE_CORRUPT', 'entry of another precinct or contest');
      }
      return stored;
    }
    const precinct = options.env.index.precinct(options.precinctId);
    const started = startFourEyes(
      { electionId: options.electionId, precinctId: options.precinctId, contestId },
      options.env,
      precinct === undefined ? {} : registerPrefill(precinct),
    );
    if (!started.ok) throw new EntryRefusal(started.refusal);
    return started.state;
  };
  const apply = async (contestId: string, event: FourEyesEvent) => {
    const result = transition(await load(contestId), event, options.env);
    if (!result.ok) throw new EntryRefusal(result.refusal);
    return result.state;
  };
  const save = (contestId: string, state: FourEyesState) =>
    options.store.put(entryName(contestId), state);

  return {
    view: async (contestId) => fourEyesView(await load(contestId), options.env),
    async dispatch(contestId, event) {
      if (event.type === 'SIGN')
        throw new KitError('NOT_READY_TO_SIGN', 'sign through report:seal');
      const state = await apply(contestId, event);
      await save(contestId, state);
      return fourEyesView(state, options.env);
    },
    async sign(contestId) {
      const current = await load(contestId);
      const signed =
        current.status === 'SIGNED' ? current : await apply(contestId, { type: 'SIGN' });
      if (signed.status !== 'SIGNED') throw new KitError('NOT_READY_TO_SIGN');
      return { report: signed.report, signed };
    },
    save,
  };
}
