import { createHash } from 'node:crypto';
import type { AuditDraft } from '../storage/audit-chain.ts';
import type { EnvelopeRow } from '../storage/repository.ts';
import type { Candidate, IntakeOutcome, Refused } from './intake-writer.ts';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The stored record of one received envelope, whatever became of it. */
export function envelopeRow(
  item: Candidate | Refused,
  id: number,
  outcome: IntakeOutcome,
): EnvelopeRow {
  const t = item.kind === 'candidate' ? item.opened.schnellmeldung : null;
  const rejected = outcome.kind === 'rejected' ? outcome : null;
  return {
    id,
    receivedAt: item.receivedAt,
    requestId: item.requestId,
    precinctId: t?.precinctId ?? (item.kind === 'refused' ? item.precinctId : null),
    contestId: t?.contestId ?? (item.kind === 'refused' ? item.contestId : null),
    revision: t?.revision ?? (item.kind === 'refused' ? item.revision : null),
    sha256: item.kind === 'candidate' ? item.opened.envelopeHash : sha256(item.body),
    body: item.body,
    verdict:
      rejected !== null
        ? 'REJECTED'
        : outcome.kind === 'accepted' && outcome.created
          ? 'ACCEPTED'
          : 'REPEATED',
    code: rejected?.code ?? null,
    detail:
      rejected !== null && Object.keys(rejected.details).length > 0
        ? JSON.stringify(rejected.details)
        : null,
  };
}

/** The audit event for one decided envelope (none for a batch-level failure). */
export function auditEventFor(envelope: EnvelopeRow, outcome: IntakeOutcome): AuditDraft | null {
  const base = {
    at: envelope.receivedAt,
    precinctId: envelope.precinctId,
    requestId: envelope.requestId,
  };
  switch (outcome.kind) {
    case 'rejected':
      return {
        ...base,
        kind: 'REPORT_REJECTED',
        data: { envelopeId: envelope.id, code: outcome.code },
      };
    case 'accepted':
      return {
        ...base,
        kind: outcome.created ? 'REPORT_ACCEPTED' : 'REPORT_REPEATED',
        data: {
          envelopeId: envelope.id,
          sequence: outcome.sequence,
          revision: outcome.revision,
          contestId: envelope.contestId,
        },
      };
    case 'failed':
      return null;
  }
}
