import { hash } from 'node:crypto';
import { resultKey, type Tally } from '../../election/index.ts';

/**
 * A report's result identity: the SHA-256 (base64) of its election `resultKey` (the contest and
 * every count but the register figures), null for a report without voters (no key). The ledger's
 * identical-result index (W.301) and the office's live board (the identical-results alert) both
 * key by it; the key itself lists every count (~1 KB), and a report's identity is worked out once,
 * where the rules look it up, and travels with the report (`LedgerReport.resultIdentity`).
 */
export type ResultIdentity = string | null;

export const identityOfKey = (key: string): string => hash('sha256', key, 'base64');

export function resultIdentity(t: Pick<Tally, 'contestId' | 'counts'>): ResultIdentity {
  const key = resultKey(t);
  return key === undefined ? null : identityOfKey(key);
}
