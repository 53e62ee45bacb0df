import { useState, type FormEvent } from 'react';
import {
  PollWorkerRoleSchema,
  type FourEyesEvent,
  type FourEyesView,
  type PollWorkerRole,
} from '../../../election/index.ts';
import { useI18n } from '../i18n/i18n.ts';
import { StepHeading } from './StepHeading.tsx';

/** A person's id on the kit is their name, normalised: the same name twice is the same person. */
export function personId(name: string): string {
  return `name:${name.normalize('NFC').toLocaleLowerCase('de-DE')}`.slice(0, 64);
}

export function tidyName(raw: string): string {
  return raw.replace(/\s+/g, ' ').trim();
}

/** Who enters now: the first person, or (blind) a different second person. */
export function WhoForm({
  which,
  view,
  dispatch,
}: {
  which: 'first' | 'second';
  view: FourEyesView;
  dispatch: (event: FourEyesEvent) => Promise<boolean>;
}) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [role, setRole] = useState<PollWorkerRole>(
    which === 'first' ? 'WAHLVORSTEHER' : 'SCHRIFTFUEHRER',
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const tidy = tidyName(name);
    const person = { id: personId(tidy), name: tidy, role };
    void dispatch(
      which === 'first'
        ? { type: 'START_FIRST_ENTRY', person }
        : { type: 'START_SECOND_ENTRY', person },
    );
  };
  const heading = which === 'first' ? t('who.headingFirst') : t('who.headingSecond');
  return (
    <section className="wk-card kit-screen" aria-labelledby="who-heading">
      <StepHeading id="who-heading" state={view.state} text={heading} />
      <p>{which === 'first' ? t('who.introFirst') : t('who.introSecond')}</p>
      <form className="wk-stack" onSubmit={submit}>
        <div className="wk-field">
          <label htmlFor="person-name">{t('who.name')}</label>
          <input
            id="person-name"
            className="wk-input kit-big-input"
            autoComplete="off"
            autoFocus
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="wk-field">
          <label htmlFor="person-role">{t('who.role')}</label>
          <select
            id="person-role"
            className="wk-input kit-big-input"
            value={role}
            onChange={(e) => setRole(PollWorkerRoleSchema.parse(e.target.value))}
          >
            {PollWorkerRoleSchema.options.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="wk-cluster">
          <button type="submit" className="wk-button wk-button--primary">
            {t('who.submit')}
          </button>
          {which === 'second' && (
            <button
              type="button"
              className="wk-button"

              onClick={() => void dispatch({ type: 'REOPEN_FIRST_ENTRY' })}
            >
              {t('who.reopen')}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
