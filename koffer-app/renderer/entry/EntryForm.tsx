import { useRef, useState, type KeyboardEvent } from 'react';
import type { FourEyesEvent, FourEyesView, StateOf } from '../../../election/index.ts';
import { useI18n } from '../i18n/i18n.ts';
import { FindingList } from './FindingList.tsx';
import { formSections, type FormField } from './sections.ts';
import { StepHeading } from './StepHeading.tsx';

type Typing = StateOf<'FIRST_ENTRY_IN_PROGRESS' | 'SECOND_ENTRY_IN_PROGRESS'>;

const MAX_DIGITS = 9;

/**
 * The Schnellmeldung form, keyboard first: digits only, Enter commits the field and moves to the
 * next one in the order of Anlage 28, the last Enter goes to "Eingabe abschließen". A field is
 * committed to main when it is left; the findings on the right follow every commit.
 */
export function EntryForm(props: {
  view: FourEyesView;
  state: Typing;
  dispatch: (event: FourEyesEvent) => Promise<boolean>;
}) {
  const entry =
    props.state.status === 'FIRST_ENTRY_IN_PROGRESS' ? props.state.first : props.state.second;
  // a new person or a new round starts from what main holds, never from another entry
  return (
    <EntryFormFor
      key={`${props.state.status}|${entry.person.id}|${props.state.cycle.revision}`}
      {...props}
    />
  );
}

function EntryFormFor({
  view,
  state,
  dispatch,
}: {
  view: FourEyesView;
  state: Typing;
  dispatch: (event: FourEyesEvent) => Promise<boolean>;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const entry = state.status === 'FIRST_ENTRY_IN_PROGRESS' ? state.first : state.second;
  const [draft, setDraft] = useState<Record<string, string>>(() =>
    Object.fromEntries(view.fields.map((f) => [f.key, text(entry.values[f.key])])),
  );
  const [showMissing, setShowMissing] = useState(false);
  const inputs = useRef(new Map<string, HTMLInputElement>());
  const finishRef = useRef<HTMLButtonElement>(null);

  const commit = (key: string) => {
    const value = draft[key] ?? '';
    if (value === text(entry.values[key])) return;
    void dispatch({ type: 'SET_VALUE', key, value: value === '' ? null : Number(value) });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>, index: number) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const next = view.fields[index + 1];
    if (next === undefined) finishRef.current?.focus();
    else inputs.current.get(next.key)?.focus();
  };
  const finish = async () => {
    const ok = await dispatch({ type: 'FINISH_ENTRY' });
    if (!ok) setShowMissing(true);
  };

  const missing = new Set(
    showMissing ? view.fields.filter((f) => (draft[f.key] ?? '') === '').map((f) => f.key) : [],
  );
  const findings = view.findings.filter((f) => f.code !== 'F.101');
  const errorFields = new Set(
    findings.filter((f) => f.severity === 'error').flatMap((f) => f.fields),
  );
  const heading =
    state.cycle.revision > 1
      ? t('entry.headingCorrection', { revision: state.cycle.revision, name: entry.person.name })
      : t(
          state.status === 'FIRST_ENTRY_IN_PROGRESS' ? 'entry.headingFirst' : 'entry.headingSecond',
          {
            name: entry.person.name,
          },
        );
  const order = new Map(view.fields.map((f, i) => [f.key, i]));

  const row = (field: FormField) => {
    const index = order.get(field.key) ?? 0;
    const id = `f-${field.key}`;
    const invalid = errorFields.has(field.path) || missing.has(field.key);
    return (
      <div key={field.key} className={`kit-row${invalid ? ' kit-row--invalid' : ''}`}>
        <label htmlFor={id} className="kit-row__label">
          <span className="kit-key">{field.key}</span>
          <span className="kit-row__text">{i18n.pick(field.label)}</span>
        </label>
        <input
          id={id}
          ref={(el) => {
            if (el) inputs.current.set(field.key, el);
          }}
          className="wk-input wk-input--number kit-count"
          inputMode="numeric"
          autoComplete="off"
          autoFocus={index === firstEmpty(view.fields, draft)}
          aria-invalid={invalid}
          value={draft[field.key] ?? ''}
          onChange={(e) => {
            const digits = e.target.value.replace(/\D/g, '').slice(0, MAX_DIGITS);
            setDraft((d) => ({ ...d, [field.key]: digits }));
          }}
          onBlur={() => commit(field.key)}
          onKeyDown={(e) => onKeyDown(e, index)}
        />
      </div>
    );
  };

  return (
    <section className="kit-entry" aria-labelledby="entry-heading">
      <div className="wk-card kit-entry__form">
        <StepHeading id="entry-heading" state={state} text={heading} />
        <p>
          {t(state.status === 'SECOND_ENTRY_IN_PROGRESS' ? 'entry.introSecond' : 'entry.intro')}
        </p>
        <form onSubmit={(e) => e.preventDefault()} className="wk-stack">
          {formSections(view.fields).map((section) => (
            <fieldset key={section.id} className="kit-section">
              <legend>{t(section.title)}</legend>
              {section.fields.some((f) => Object.hasOwn(state.prefill, f.key)) && (
                <p className="wk-field__hint">{t('entry.prefilled')}</p>
              )}
              {section.fields.map(row)}
            </fieldset>
          ))}
          <div className="wk-cluster">
            <button
              type="button"
              ref={finishRef}
              className="wk-button wk-button--primary kit-big-button"

              onClick={() => void finish()}
            >
              {t('entry.finish')}
            </button>
            <button
              type="button"
              className="wk-button"

              onClick={() => {
                if (window.confirm(t('entry.discardConfirm'))) void dispatch({ type: 'DISCARD' });
              }}
            >
              {t('entry.discard')}
            </button>
          </div>
        </form>
      </div>
      <aside className="kit-entry__findings" aria-live="polite">
        <FindingList
          findings={findings}
          fields={view.fields}
          emptyText={t('entry.allGood')}
          warningNote={t('findings.reasonLater')}
        />
      </aside>
    </section>
  );
}

function text(value: number | undefined): string {
  return value === undefined ? '' : String(value);
}

function firstEmpty(fields: readonly FormField[], draft: Readonly<Record<string, string>>): number {
  const index = fields.findIndex((f) => (draft[f.key] ?? '') === '');
  return index < 0 ? 0 : index;
}
