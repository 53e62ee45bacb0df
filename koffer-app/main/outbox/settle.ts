import type { IpcError } from '../../shared/index.ts';
import { KitError } from '../error.ts';
import { toIpcError } from '../ipc/dispatch.ts';
import { retryDelayMs, type BackoffConfig } from '../../../api/index.ts';
import { checkReceipt, type ReceiptTrust } from './receipt-check.ts';
import type { OutboxRecord } from './record.ts';
import type { DeliveryAnswer } from './transport.ts';

export type SettleContext = ReceiptTrust & {
  readonly now: Date;
  readonly backoff: BackoffConfig;
  /** in [0, 1): the jitter of the next wait */
  readonly random: number;
};

/**
 * The outbox record after one delivery attempt, as a pure function of (record, answer, context):
 * a verified receipt confirms it; a coded refusal ends it; anything else schedules the next
 * attempt after the back-off. A receipt that fails its checks counts as no answer.
 */
export function settle(
  record: OutboxRecord,
  answer: DeliveryAnswer,
  ctx: SettleContext,
): OutboxRecord {
  const attempts = record.attempts + 1;
  const retry = (error: IpcError): OutboxRecord => ({
    ...record,
    attempts,
    lastError: error,
    nextAttemptAt: new Date(
      ctx.now.getTime() + retryDelayMs(ctx.backoff, attempts, ctx.random),
    ).toISOString(),
  });
  switch (answer.kind) {
    case 'ACCEPTED':
      try {
        const receipt = checkReceipt(answer.receipt, record, { ...ctx, repeat: answer.repeat });
        const { receiptCode, serverTime, sequence } = receipt;
        return {
          ...record,
          attempts,
          state: 'CONFIRMED',
          nextAttemptAt: null,
          lastError: null,
          receipt: { jws: answer.receipt, receiptCode, serverTime, sequence },
        };
      } catch (error) {
        return retry(toIpcError(error) ?? kitError('RECEIPT_REJECTED'));
      }
    case 'REFUSED':
      return {
        ...record,
        attempts,
        state: 'REFUSED',
        nextAttemptAt: null,
        lastError: {
          code: answer.code,
          message: answer.messages.de,
          messages: { ...answer.messages },
        },
      };
    case 'SESSION_REQUIRED':
      return retry(kitError('SESSION_REQUIRED'));
    case 'UNAVAILABLE':
      return retry(kitError('NETWORK_UNAVAILABLE'));
  }
}

function kitError(code: 'RECEIPT_REJECTED' | 'SESSION_REQUIRED' | 'NETWORK_UNAVAILABLE'): IpcError {
  return toIpcError(new KitError(code))!;
}
