import type { FourEyesState } from '../../../election/index.ts';
import { useI18n } from '../i18n/i18n.ts';

const STEPS: readonly FourEyesState['status'][][] = [
  ['EMPTY', 'CORRECTION', 'FIRST_ENTRY_IN_PROGRESS'],
  ['FIRST_ENTRY_DONE', 'SECOND_ENTRY_IN_PROGRESS'],
  ['ENTRIES_DIFFER', 'READY_TO_SIGN'],
  ['SIGNED'],
];

/** The screen's heading with "Schritt n von 4" and, for a correction, its revision. */
export function StepHeading({
  id,
  state,
  text,
}: {
  id: string;
  state: FourEyesState;
  text: string;
}) {
  const { t } = useI18n();
  const step = STEPS.findIndex((s) => s.includes(state.status)) + 1;
  const of = t('step.of', { step });
  const correction =
    state.cycle.revision > 1
      ? ` · ${t('step.correction', { revision: state.cycle.revision })}`
      : '';
  return (
    <>
      <p className="kit-step">
        {of}
        {correction}
      </p>
      <h1 id={id}>{text}</h1>
    </>
  );
}
