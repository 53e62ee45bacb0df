import { ApiClientError, type StationClient } from '../../../api/index.ts';
import type { DeliveryAnswer, Transport } from './transport.ts';
import type { SessionService } from '../session/session.ts';

const SESSION_CODES = new Set(['TOKEN_MISSING', 'TOKEN_INVALID', 'TOKEN_EXPIRED']);

/**
 * The outbox's transport over the HTTP contract's station client: POST /api/v1/reports with
 * the session token, the envelope byte for byte. Maps the client's outcomes to the four the
 * outbox acts on: a refused token → SESSION_REQUIRED; no answer, 5xx, 429 or a reply outside
 * the contract (a captive portal, a proxy) → UNAVAILABLE; any other coded refusal → REFUSED.
 */
export type ReportClient = Pick<StationClient, 'submitReport'>;

export function createTransmission(options: {
  readonly client: ReportClient;
  readonly session: SessionService;
}): Transport {
  return {
    async deliver(envelope): Promise<DeliveryAnswer> {
      const session = await options.session.current();
      if (session === undefined) return { kind: 'SESSION_REQUIRED' };
      try {
        const answer = await options.client.submitReport(session.token, envelope);
        const receipt = Buffer.from(answer.receipt, 'base64').toString('utf8');
        return { kind: 'ACCEPTED', receipt, repeat: answer.repeat };
      } catch (error) {
        if (!(error instanceof ApiClientError)) throw error;
        if (SESSION_CODES.has(error.code)) {
          await options.session.clear();
          return { kind: 'SESSION_REQUIRED' };
        }
        if (error.refused && error.status !== 429) {
          return { kind: 'REFUSED', code: error.code, messages: error.messages };
        }
        return { kind: 'UNAVAILABLE', detail: error.message };
      }
    },
  };
}
