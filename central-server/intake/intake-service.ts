import { PkiError } from '../../pki/index.ts';
import { ServerError } from '../errors.ts';
import type { ServerPki } from '../ports.ts';
import type { SessionClaims } from '../sessions/token.ts';
import type { ServerRepository } from '../storage/repository.ts';
import type { IntakeWriter } from './intake-writer.ts';
import { receiptText } from './receipt-text.ts';
import type { AcceptedAnswer, IntakeOutcome, OpenedReport } from './types.ts';

export type IntakeRequest = {
  /** the session, already verified (token, certificate not revoked) before the body was read */
  readonly session: SessionClaims;
  readonly body: Uint8Array;
  readonly requestId: string;
  readonly receivedAt: Date;
};

/**
 * The intake pipeline for one sealed report of a verified session (a request without one was
 * refused before its body was read: http/authenticate.ts), in order: open and verify the
 * envelope (pki) → signer's election, precinct and certificate equal the session's → the writer
 * (revision rules, plausibility, one transaction with envelope, report, receipt, current revision
 * and audit event). Every refusal is stored as a rejected attempt before it is answered;
 * an answer with a receipt is only given after the COMMIT.
 */
export class IntakeService {
  constructor(
    private readonly deps: {
      readonly pki: ServerPki;
      readonly writer: IntakeWriter;
      readonly repository: ServerRepository;
    },
  ) {}

  async submit(request: IntakeRequest): Promise<AcceptedAnswer> {
    const opened = await this.checkBeforeWriter(request);
    const outcome = await this.deps.writer.submit({
      kind: 'candidate',
      requestId: request.requestId,
      receivedAt: request.receivedAt,
      body: request.body,
      opened,
    });
    switch (outcome.kind) {
      case 'failed':
        throw new ServerError(outcome.code);
      case 'rejected':
        throw outcome.refusal;
      case 'accepted':
        return this.answer(outcome);
    }
  }

  /** Envelope and signer checks; a refusal here is stored (by the writer) and rethrown. */
  private async checkBeforeWriter(request: IntakeRequest): Promise<OpenedReport> {
    const { deps } = this;
    const claims = request.session;
    try {
      const opened = await deps.pki.openEnvelope(request.body, request.receivedAt);
      if (opened.signer.electionId !== deps.pki.electionId) {
        throw new ServerError('ELECTION_MISMATCH');
      }
      if (opened.signer.precinctId !== claims.precinctId)
        throw new ServerError('PRECINCT_MISMATCH');
      if (opened.signer.fingerprint !== claims.fingerprint) {
        throw new ServerError('CERTIFICATE_MISMATCH');
      }
      return opened;
    } catch (error) {
      if (!(error instanceof ServerError || error instanceof PkiError)) throw error;
      await this.storeRefusal(request, claims, error);
      throw error;
    }
  }

  private async storeRefusal(
    request: IntakeRequest,
    claims: SessionClaims,
    error: ServerError | PkiError,
  ): Promise<void> {
    await this.deps.writer.submit({
      kind: 'refused',
      requestId: request.requestId,
      receivedAt: request.receivedAt,
      body: request.body,
      precinctId: claims.precinctId,
      refusal: error,
    });
  }

  private async answer(
    outcome: Extract<IntakeOutcome, { kind: 'accepted' }>,
  ): Promise<AcceptedAnswer> {
    const { sequence, revision, created } = outcome;
    if (outcome.receipt !== undefined) {
      const { receiptCode, text } = outcome.receipt;
      return { sequence, revision, receiptCode, receiptText: text, created };
    }
    // a repeat: its receipt as stored
    const stored = await this.deps.repository.findReceipt(sequence);
    if (stored === null) throw new ServerError('INTERNAL_ERROR');
    const { receiptCode, receipt } = stored;
    return { sequence, revision, receiptCode, receiptText: receiptText(receipt), created };
  }
}
