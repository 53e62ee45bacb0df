import { useState } from 'react';
import {
  resolvedValue,
  type FourEyesEvent,
  type FourEyesView,
  type StateOf,
} from '../../../election/index.ts';
import { useI18n } from '../i18n/i18n.ts';
import { StepHeading } from './StepHeading.tsx';

/**
 * The two entries differ: per differing field both figures side by side and three ways to
 * settle it — keep the first, keep the second, or read the paper again and type it anew.
 */
export function DifferencesForm({
  view,
  state,
  dispatch,
}: {
  view: FourEyesView;
  state: StateOf<'ENTRIES_DIFFER'>;
  dispatch: (event: FourEyesEvent) => Promise<boolean>;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [again, setAgain] = useState<Record<string, string>>({});
  const labels = new Map(view.fields.map((f) => [f.key, i18n.pick(f.label)]));
  return (
    <section className="wk-card kit-screen kit-screen--wide" aria-labelledby="differ-heading">
      <StepHeading id="differ-heading" state={state} text={t('differ.heading')} />
      <p>{t('differ.intro')}</p>
      <div className="wk-table-wrap">
        <table className="wk-table kit-differences">
          <thead>
            <tr>
              <th scope="col">{t('differ.field')}</th>
              <th scope="col" className="wk-num">
                {t('differ.first', { name: state.first.person.name })}
              </th>
              <th scope="col" className="wk-num">
                {t('differ.second', { name: state.second.person.name })}
              </th>
              <th scope="col">{t('differ.decision')}</th>
            </tr>
          </thead>
          <tbody>
            {state.differences.map((d) => {
              const settled = resolvedValue(d);
              const label = `${d.key} ${labels.get(d.key) ?? ''}`;
              return (
                <tr key={d.key} data-key={d.key}>
                  <th scope="row">
                    <span className="kit-key">{d.key}</span> {labels.get(d.key)}
                  </th>
                  <td className="wk-num kit-big-number">{i18n.count(d.first)}</td>
                  <td className="wk-num kit-big-number">{i18n.count(d.second)}</td>
                  <td>
                    <div className="wk-cluster">
                      <button
                        type="button"
                        className="wk-button"

                        aria-pressed={d.resolution?.kind === 'KEEP_FIRST'}
                        aria-label={`${label}: ${t('differ.keepFirst', { value: i18n.count(d.first) })}`}
                        onClick={() =>
                          void dispatch({
                            type: 'RESOLVE_DIFFERENCE',
                            key: d.key,
                            choice: 'KEEP_FIRST',
                          })
                        }
                      >
                        {t('differ.keepFirst', { value: i18n.count(d.first) })}
                      </button>
                      <button
                        type="button"
                        className="wk-button"

                        aria-pressed={d.resolution?.kind === 'KEEP_SECOND'}
                        aria-label={`${label}: ${t('differ.keepSecond', { value: i18n.count(d.second) })}`}
                        onClick={() =>
                          void dispatch({
                            type: 'RESOLVE_DIFFERENCE',
                            key: d.key,
                            choice: 'KEEP_SECOND',
                          })
                        }
                      >
                        {t('differ.keepSecond', { value: i18n.count(d.second) })}
                      </button>
                      <label className="kit-again">
                        <span>{t('differ.again')}</span>
                        <input
                          className="wk-input wk-input--number kit-count kit-count--small"
                          inputMode="numeric"
                          aria-label={t('differ.againLabel', { field: label })}
                          value={again[d.key] ?? ''}
                          onChange={(e) =>
                            setAgain((a) => ({
                              ...a,
                              [d.key]: e.target.value.replace(/\D/g, '').slice(0, 9),
                            }))
                          }
                          onKeyDown={(e) => {
                            if (e.key !== 'Enter') return;
                            e.preventDefault();
                            const v = again[d.key] ?? '';
                            void dispatch({
                              type: 'ENTER_AGAIN',
                              key: d.key,
                              value: v === '' ? null : Number(v),
                            });
                          }}
                          onBlur={() => {
                            const v = again[d.key] ?? '';
                            if (v !== '')
                              void dispatch({ type: 'ENTER_AGAIN', key: d.key, value: Number(v) });
                          }}
                        />
                      </label>
                    </div>
                    <p
                      className={`wk-badge ${settled === undefined ? 'wk-badge--warn' : 'wk-badge--ok'} kit-settled`}
                    >
                      {settled === undefined
                        ? t('differ.open')
                        : t('differ.settled', { value: i18n.count(settled) })}
                    </p>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="wk-cluster">
        <button
          type="button"
          className="wk-button wk-button--primary kit-big-button"

          onClick={() => void dispatch({ type: 'FINISH_RESOLUTION' })}
        >
          {t('differ.finish')}
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
    </section>
  );
}
