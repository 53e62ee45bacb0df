import { useState } from 'react';
import type { FourEyesEvent, FourEyesView, StateOf } from '../../../election/index.ts';
import { useI18n } from '../i18n/i18n.ts';
import { FindingList } from './FindingList.tsx';
import { formSections } from './sections.ts';
import { StepHeading } from './StepHeading.tsx';

/**
 * The agreed figures, once more to compare with the record; a written reason for every warning;
 * then "Unterschreiben und senden" (disabled until every warning has its reason).
 */
export function ReviewForm({
  view,
  state,
  dispatch,
  onSign,
}: {
  view: FourEyesView;
  state: StateOf<'READY_TO_SIGN'>;
  dispatch: (event: FourEyesEvent) => Promise<boolean>;
  onSign: () => Promise<boolean>;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const warnings = view.findings.filter((f) => f.severity === 'warning');
  const saved = new Map(state.acknowledgements.map((a) => [a.code, a.reason]));
  const [reasons, setReasons] = useState<Record<string, string>>(() => Object.fromEntries(saved));
  const canSign = view.unacknowledged.length === 0 && view.allowed.includes('SIGN');
  return (
    <section className="kit-entry" aria-labelledby="review-heading">
      <div className="wk-card kit-entry__form">
        <StepHeading id="review-heading" state={state} text={t('review.heading')} />
        <p>{t('review.intro')}</p>
        {formSections(view.fields).map((section) => (
          <table key={section.id} className="wk-table kit-agreed">
            <caption>{t(section.title)}</caption>
            <tbody>
              {section.fields.map((f) => (
                <tr key={f.key}>
                  <th scope="row">
                    <span className="kit-key">{f.key}</span> {i18n.pick(f.label)}
                  </th>
                  <td className="wk-num kit-big-number">{i18n.count(state.values[f.key])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
        <p>
          {t('review.enteredBy', {
            first: state.first.person.name,
            second: state.second.person.name,
          })}
        </p>
      </div>
      <aside className="kit-entry__findings wk-stack">
        <FindingList findings={view.findings} fields={view.fields} emptyText={t('entry.allGood')} />
        {warnings.length > 0 && <p>{t('review.warningsIntro')}</p>}
        {warnings.map((w) => {
          const id = `reason-${w.code.replace('.', '-')}`;
          return (
            <form
              key={w.code}
              className="wk-field kit-reason"
              onSubmit={(e) => {
                e.preventDefault();
                void dispatch({
                  type: 'ACKNOWLEDGE_WARNING',
                  code: w.code,
                  reason: reasons[w.code] ?? '',
                });
              }}
            >
              <label htmlFor={id}>{t('review.reason', { code: w.code })}</label>
              <textarea
                id={id}
                className="wk-input"
                rows={2}
                maxLength={500}
                value={reasons[w.code] ?? ''}
                onChange={(e) => setReasons((r) => ({ ...r, [w.code]: e.target.value }))}
              />
              <div className="wk-cluster">
                <button type="submit" className="wk-button">
                  {t('review.saveReason')}
                </button>
                {saved.has(w.code) && (
                  <span className="wk-badge wk-badge--ok">{t('review.reasonSaved')}</span>
                )}
              </div>
            </form>
          );
        })}
        <p className="wk-small">{t('review.signHint')}</p>
        <button
          type="button"
          className="wk-button wk-button--primary kit-big-button"
          disabled={!canSign}
          onClick={() => void onSign()}
        >
          {t('review.sign')}
        </button>
      </aside>
    </section>
  );
}
