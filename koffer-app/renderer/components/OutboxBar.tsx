import type { OutboxItem } from '../../shared/index.ts';
import { useI18n, type I18n } from '../i18n/i18n.ts';

const BADGE: Readonly<Record<OutboxItem['state'], string>> = {
  WAITING: 'wk-badge--warn',
  SENDING: 'wk-badge--info',
  CONFIRMED: 'wk-badge--ok',
  REFUSED: 'wk-badge--error',
};

export function outboxWords(item: OutboxItem, i18n: I18n): string {
  switch (item.state) {
    case 'CONFIRMED':
      return i18n.t('outbox.CONFIRMED', { code: item.receipt?.receiptCode ?? '' });
    case 'REFUSED':
      return i18n.t('outbox.REFUSED', {
        reason: item.lastError === null ? '' : item.lastError.messages[i18n.lang],
      });
    default:
      return i18n.t(`outbox.${item.state}`);
  }
}

/** Always in sight once the kit is unlocked: what happened to each sealed report. */
export function OutboxBar({ items }: { items: readonly OutboxItem[] }) {
  const i18n = useI18n();
  return (
    <footer className="kit-outbox" aria-label={i18n.t('outbox.label')}>
      <div className="kit-outbox__inner" role="status" aria-live="polite">
        <strong>{i18n.t('outbox.label')}:</strong>
        {items.length === 0 ? (
          <span className="wk-badge wk-badge--neutral">{i18n.t('outbox.empty')}</span>
        ) : (
          items.map((item) => (
            <span key={item.id} className="kit-outbox__item">
              {i18n.t('sent.revision', { revision: item.revision })}
              <span className={`wk-badge ${BADGE[item.state]}`} data-state={item.state}>
                {outboxWords(item, i18n)}
              </span>
              {item.state === 'WAITING' && item.attempts > 0 && (
                <span className="wk-small">
                  {i18n.t('outbox.attempts', { count: item.attempts })}
                </span>
              )}
            </span>
          ))
        )}
      </div>
    </footer>
  );
}
