import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n.ts';

/** The Wahlvorsteher's TOTP code opens the session with the election office for the day. */
export function SessionScreen({ onOpen }: { onOpen: (totp: string) => Promise<boolean> }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void onOpen(code).then((ok) => {
      if (!ok) setCode('');
    });
  };
  return (
    <section className="wk-card kit-screen" aria-labelledby="session-heading">
      <h1 id="session-heading">{t('session.heading')}</h1>
      <p>{t('session.intro')}</p>
      <form className="wk-stack" onSubmit={submit}>
        <div className="wk-field">
          <label htmlFor="totp">{t('session.code')}</label>
          <input
            id="totp"
            className="wk-input kit-big-input kit-code-input"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            autoFocus
            value={code}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
          />
        </div>
        <button type="submit" className="wk-button wk-button--primary">
          {t('session.submit')}
        </button>
      </form>
    </section>
  );
}
