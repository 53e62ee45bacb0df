import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n.ts';

/** The station passphrase from the sealed letter; it goes to main once and is forgotten here. */
export function UnlockScreen({
  retryAfter,
  onUnlock,
}: {
  retryAfter: number;
  onUnlock: (passphrase: string) => Promise<boolean>;
}) {
  const { t } = useI18n();
  const [passphrase, setPassphrase] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = passphrase;
    setPassphrase('');
    void onUnlock(value);
  };
  return (
    <section className="wk-card kit-screen" aria-labelledby="unlock-heading">
      <h1 id="unlock-heading">{t('unlock.heading')}</h1>
      <p>{t('unlock.intro')}</p>
      <form className="wk-stack" onSubmit={submit}>
        <div className="wk-field">
          <label htmlFor="passphrase">{t('unlock.passphrase')}</label>
          <input
            id="passphrase"
            className="wk-input kit-big-input"
            type="password"
            autoComplete="off"
            autoFocus
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
          />
        </div>
        {retryAfter > 0 && (
          <p className="wk-alert wk-alert--warn" role="status">
            {t('unlock.wait', { seconds: retryAfter })}
          </p>
        )}
        <button type="submit" className="wk-button wk-button--primary">
          {t('unlock.submit')}
        </button>
      </form>
    </section>
  );
}
