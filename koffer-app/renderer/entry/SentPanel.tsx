import { useState } from 'react';
import type { StateOf } from '../../../election/index.ts';
import { outboxWords } from '../components/OutboxBar.tsx';
import { useI18n } from '../i18n/i18n.ts';
import type { KitActions, KitModel } from '../kit/use-kit.ts';
import { StepHeading } from './StepHeading.tsx';

/** "4f2a91c3…" → "4F2A 91C3 …": the fingerprint as groups of four, as printed on paper. */
export function groupHex(hex: string): string {
  return (hex.toUpperCase().match(/.{1,4}/g) ?? []).join(' ');
}

/**
 * After signing: the sealed report's fingerprint, what the outbox did with it, the receipt code
 * large enough to read out on the phone, the paper record, and a correction if needed.
 */
export function SentPanel({
  model,
  state,
  actions,
}: {
  model: KitModel;
  state: StateOf<'SIGNED'>;
  actions: KitActions;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [reason, setReason] = useState('');
  const item = model.outbox.find(
    (o) => o.contestId === state.report.contestId && o.revision === state.report.revision,
  );
  return (
    <section
      className="wk-card kit-screen kit-screen--wide wk-stack"
      aria-labelledby="sent-heading"
    >
      <StepHeading
        id="sent-heading"
        state={state}
        text={t(
          item?.state === 'CONFIRMED'
            ? 'sent.headingConfirmed'
            : item?.state === 'REFUSED'
              ? 'sent.headingRefused'
              : 'sent.heading',
        )}
      />
      {item && (
        <>
          <p className="kit-outbox-state" role="status">
            <span
              className={`wk-badge kit-badge-large ${item.state === 'CONFIRMED' ? 'wk-badge--ok' : item.state === 'REFUSED' ? 'wk-badge--error' : 'wk-badge--warn'}`}
            >
              {outboxWords(item, i18n)}
            </span>
          </p>
          {item.state === 'CONFIRMED' && item.receipt ? (
            <div className="kit-receipt">
              <p>{t('sent.confirmedIntro')}</p>
              <p className="kit-receipt__label">{t('sent.receiptCode')}</p>
              <p className="kit-receipt__code" data-testid="receipt-code">
                {item.receipt.receiptCode}
              </p>
            </div>
          ) : item.state !== 'REFUSED' ? (
            <p>{t('sent.waiting')}</p>
          ) : null}
          <dl className="kit-facts">
            <dt>{t('sent.fingerprint')}</dt>
            <dd className="kit-mono">{groupHex(item.contentHash)}</dd>
            <dt>{t('paper.revision')}</dt>
            <dd>{item.revision}</dd>
          </dl>
          <div className="wk-cluster">
            {item.state === 'WAITING' && (
              <button
                type="button"
                className="wk-button wk-button--primary"
                onClick={() => void actions.sendNow()}
              >
                {t('sent.sendNow')}
              </button>
            )}
            <a className="wk-button" href={`#paper/${item.id}`}>
              {t('sent.print')}
            </a>
          </div>
        </>
      )}
      {item?.state === 'CONFIRMED' && (
        <details className="kit-correction">
          <summary>{t('sent.correction')}</summary>
          <form
            className="wk-field"
            onSubmit={(e) => {
              e.preventDefault();
              void actions.dispatch({ type: 'START_CORRECTION', reason });
            }}
          >
            <label htmlFor="correction-reason">{t('sent.correctionReason')}</label>
            <textarea
              id="correction-reason"
              className="wk-input"
              rows={2}
              maxLength={500}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
            <div>
              <button type="submit" className="wk-button">
                {t('sent.correctionStart')}
              </button>
            </div>
          </form>
        </details>
      )}
    </section>
  );
}
