import { useState, type FormEvent } from 'react';
import type { BundleCandidate } from '../../shared/index.ts';
import { useI18n } from '../i18n/i18n.ts';

/** Load the provisioning bundle and pin its root by the fingerprint printed on the letter. */
export function SetupScreen({
  candidates,
  onInstall,
}: {
  candidates: readonly BundleCandidate[];
  onInstall: (candidateId: string, rootFingerprint: string) => Promise<boolean>;
}) {
  const { t } = useI18n();
  const [candidate, setCandidate] = useState(candidates[0]?.id ?? '');
  const [fingerprint, setFingerprint] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void onInstall(candidate, fingerprint);
  };
  return (
    <section className="wk-card kit-screen" aria-labelledby="setup-heading">
      <h1 id="setup-heading">{t('setup.heading')}</h1>
      <p>{t('setup.intro')}</p>
      {candidates.length === 0 ? (
        <p className="wk-alert wk-alert--warn">{t('setup.noFile')}</p>
      ) : (
        <form className="wk-stack" onSubmit={submit}>
          <fieldset className="kit-choices">
            <legend>{t('setup.file')}</legend>
            {candidates.map((c) => (
              <label key={c.id} className="kit-choice">
                <input
                  type="radio"
                  name="bundle"
                  value={c.id}
                  checked={candidate === c.id}
                  onChange={() => setCandidate(c.id)}
                />
                <span className="kit-mono">{c.label}</span>
              </label>
            ))}
          </fieldset>
          <div className="wk-field">
            <label htmlFor="root-fingerprint">{t('setup.fingerprint')}</label>
            <textarea
              id="root-fingerprint"
              className="wk-input kit-mono kit-fingerprint-input"
              rows={3}
              autoComplete="off"
              spellCheck={false}
              aria-describedby="root-fingerprint-hint"
              value={fingerprint}
              onChange={(e) => setFingerprint(e.target.value)}
            />
            <span id="root-fingerprint-hint" className="wk-field__hint">
              {t('setup.fingerprintHint')}
            </span>
          </div>
          <button type="submit" className="wk-button wk-button--primary">
            {t('setup.submit')}
          </button>
        </form>
      )}
    </section>
  );
}
