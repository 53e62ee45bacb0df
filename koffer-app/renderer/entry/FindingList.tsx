import type { FourEyesView } from '../../../election/index.ts';
import { useI18n } from '../i18n/i18n.ts';
import type { FormField } from './sections.ts';

type Finding = FourEyesView['findings'][number];

/**
 * Findings in plain words: errors ("Das muss korrigiert werden") before warnings ("Bitte
 * prüfen"), each with the rule's message (what is wrong and what to do), the figures, and the
 * fields concerned by their Kennbuchstabe and label.
 */
export function FindingList({
  findings,
  fields,
  emptyText,
  warningNote,
}: {
  findings: readonly Finding[];
  fields: readonly FormField[];
  emptyText?: string;
  /** a note under the warnings, e.g. when their reasons are written */
  warningNote?: string;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const byPath = new Map(fields.map((f) => [f.path, f]));
  const errors = findings.filter((f) => f.severity === 'error');
  const warnings = findings.filter((f) => f.severity === 'warning');
  if (findings.length === 0) {
    return emptyText === undefined ? null : <p className="wk-alert wk-alert--ok">{emptyText}</p>;
  }
  const item = (f: Finding) => (
    <li
      key={f.code}
      className={`wk-alert wk-alert--${f.severity === 'error' ? 'error' : 'warn'} kit-finding`}
    >
      <p>
        <strong>{t(f.severity === 'error' ? 'findings.error' : 'findings.warning')}: </strong>
        {i18n.pick(f.message)}
      </p>
      {f.detail && <p className="kit-mono wk-small">{i18n.pick(f.detail)}</p>}
      <p className="wk-small">
        {t('findings.field')}:{' '}
        {f.fields
          .map((path) => byPath.get(path))
          .filter((x) => x !== undefined)
          .map((x) => x.key)
          .join(', ')}
        <span className="wk-muted"> · {f.code}</span>
      </p>
    </li>
  );
  return (
    <div className="wk-stack">
      {errors.length > 0 && (
        <>
          <h2 className="kit-findings-heading">{t('findings.errors')}</h2>
          <ul className="kit-findings">{errors.map(item)}</ul>
        </>
      )}
      {warnings.length > 0 && (
        <>
          <h2 className="kit-findings-heading">{t('findings.warnings')}</h2>
          <ul className="kit-findings">{warnings.map(item)}</ul>
          {warningNote !== undefined && <p className="wk-small">{warningNote}</p>}
        </>
      )}
    </div>
  );
}
