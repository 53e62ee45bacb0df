import { assertNever } from '../../../election/index.ts';
import type { KitActions, KitModel } from '../kit/use-kit.ts';
import { useI18n } from '../i18n/i18n.ts';
import { DifferencesForm } from './DifferencesForm.tsx';
import { EntryForm } from './EntryForm.tsx';
import { ReviewForm } from './ReviewForm.tsx';
import { SentPanel } from './SentPanel.tsx';
import { WhoForm } from './WhoForm.tsx';

/** One screen per state of the four-eyes machine (election/four-eyes, docs/four-eyes.md). */
export function EntryFlow({ model, actions }: { model: KitModel; actions: KitActions }) {
  const { t } = useI18n();
  const view = model.entry;
  if (view === null) return <p aria-live="polite">{t('app.busy')}</p>;
  const { state } = view;
  switch (state.status) {
    case 'EMPTY':
    case 'CORRECTION':
      return <WhoForm which="first" view={view} dispatch={actions.dispatch} />;
    case 'FIRST_ENTRY_DONE':
      return <WhoForm which="second" view={view} dispatch={actions.dispatch} />;
    case 'FIRST_ENTRY_IN_PROGRESS':
    case 'SECOND_ENTRY_IN_PROGRESS':
      return <EntryForm view={view} state={state} dispatch={actions.dispatch} />;
    case 'ENTRIES_DIFFER':
      return <DifferencesForm view={view} state={state} dispatch={actions.dispatch} />;
    case 'READY_TO_SIGN':
      return (
        <ReviewForm
          view={view}
          state={state}

          dispatch={actions.dispatch}
          onSign={actions.signAndSeal}
        />
      );
    case 'SIGNED':
      return <SentPanel model={model} state={state} actions={actions} />;
    default:
      return assertNever(state);
  }
}
