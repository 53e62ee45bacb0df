import { useEffect, useRef } from 'react';
import type { IpcError } from '../../shared/index.ts';
import { useI18n } from '../i18n/i18n.ts';

/** The last refusal, in plain words, announced to screen readers and focused. */
export function ErrorAlert({ error, onClose }: { error: IpcError | null; onClose: () => void }) {
  const { lang, t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error !== null) ref.current?.focus();
  }, [error]);
  if (error === null) return null;
  return (
    <div className="wk-alert wk-alert--error kit-alert" role="alert" tabIndex={-1} ref={ref}>
      <p>
        <strong>{error.messages[lang]}</strong>
      </p>
      <p className="wk-small">{t('app.errorCode', { code: error.code })}</p>
      <button type="button" className="wk-button" onClick={onClose}>
        {t('app.errorOk')}
      </button>
    </div>
  );
}
