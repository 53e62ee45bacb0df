// The office's actions (issue 8): phone confirmation, phoned-in results, revoking and replacing
// kits. Services with their storage; the dashboard's routes call them (decisions/0089).
import { join } from 'node:path';
import type { ElectionIndex } from '../../../election/index.ts';
import type { IntakeState } from '../../intake/intake-state.ts';
import type { IntakeItem, IntakeOutcome } from '../../intake/types.ts';
import type { ServerRepository } from '../../storage/repository.ts';
import type { WriteLock } from '../../write-lock.ts';
import { PhoneConfirmationService } from './phone-confirmation.ts';
import { PhonedResultService } from './phoned-results.ts';
import { StationActions } from './stations.ts';
import type { OfficeActionStore } from './store.ts';

export { OfficeActionError, OFFICE_ACTION_REFUSALS, type OfficeActionCode } from './errors.ts';
export { normaliseReceiptCode, PhoneConfirmationService } from './phone-confirmation.ts';
export {
  PhonedResultService,
  type OfficeEntryEvent,
  type PhonedResultOutcome,
} from './phoned-results.ts';
export type { PhoneEntryView, EntryRole } from './phone-entry-view.ts';
export { StationActions, type StationOverview, type Replacement } from './stations.ts';
export type { OfficeActionStore, PhoneConfirmationRow, StationContact } from './store.ts';

export type OfficeActions = {
  readonly phone: PhoneConfirmationService;
  readonly phoned: PhonedResultService;
  readonly stations: StationActions;
  readonly store: OfficeActionStore;
};

export function createOfficeActions(deps: {
  readonly index: ElectionIndex;
  readonly state: IntakeState;
  readonly lock: WriteLock;
  readonly repository: ServerRepository & { readonly officeActions: OfficeActionStore };
  readonly submit: (item: IntakeItem) => Promise<IntakeOutcome>;
  readonly pkiDir: string;
  readonly reloadPki: () => Promise<unknown>;
  readonly clock: () => Date;
}): OfficeActions {
  const { index, state, lock, repository, clock } = deps;
  const store = repository.officeActions;
  return {
    store,
    phone: new PhoneConfirmationService({ index, state, lock, repository, store, clock }),
    phoned: new PhonedResultService({ index, state, lock, store, submit: deps.submit, clock }),
    stations: new StationActions({
      index,
      state,
      lock,
      store,
      pkiDir: deps.pkiDir,
      replacementsDir: join(deps.pkiDir, 'replacements'),
      reloadPki: deps.reloadPki,
      clock,
    }),
  };
}
