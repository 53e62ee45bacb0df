import { PKI_MESSAGES, PkiError, type PkiErrorCode } from '../../pki/index.ts';
import { SERVER_REFUSALS } from '../../api/index.ts';
import { ServerError, type ServerErrorCode } from '../errors.ts';
import type { ServerPki } from '../ports.ts';
import type { SessionService } from '../sessions/session-service.ts';
import type { SessionClaims } from '../sessions/token.ts';
import type { ServerRepository } from '../storage/repository.ts';
import type { IntakeOutcome, IntakeWriter, Refused } from './intake-writer.ts';
import type { AcceptedAnswer, OpenedMeldung } from './types.ts';

export type IntakeRequest = {
  readonly authorization: string | undefined;
  readonly body: Uint8Array;
  readonly requestId: string;
  readonly receivedAt: Date;
};

/** A stored refusal becomes the coded error the kit sees. */
export function refusalError(code: string, details: Record<string, unknown>): Error {
  if (code in SERVER_REFUSALS) return new ServerError(code as ServerErrorCode, details);
  if (code in PKI_MESSAGES) return new PkiError(code as PkiErrorCode);
  return new ServerError('INTERNAL_ERROR');
}

/**
 * The intake pipeline for one sealed report, in order: session token → open and verify the
 * envelope (pki) → signer's election, precinct and certificate equal the session's → the writer
 * (revision rules, plausibility, one transaction with envelope, report, receipt, current revision
 * and audit event). Every refusal is stored as a rejected attempt before it is answered;
 * an answer with a receipt is only given after the COMMIT.
 */
export class IntakeService {
  constructor(
    private readonly deps: {
      readonly pki: ServerPki;
      readonly sessions: SessionService;
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
        throw refusalError(outcome.code, outcome.details);
      case 'accepted':
        return this.answer(outcome);
    }
  }

  /** Session and envelope checks; a refusal here is stored (by the writer) and rethrown. */
  private async checkBeforeWriter(request: IntakeRequest): Promise<OpenedMeldung> {
    const { deps } = this;
    let claims: SessionClaims | undefined;
    try {
      claims = await deps.sessions.verify(request.authorization, request.receivedAt);
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
    claims: SessionClaims | undefined,
    error: ServerError | PkiError,
  ): Promise<void> {
    const refused: Refused = {
      kind: 'refused',
      requestId: request.requestId,
      receivedAt: request.receivedAt,
      body: request.body,
      precinctId: claims?.precinctId ?? null,
      contestId: null,
      revision: null,
      code: error.code,
      details: error instanceof ServerError ? { ...error.details } : {},
    };
    await this.deps.writer.submit(refused);
  }

  private async answer(
    outcome: Extract<IntakeOutcome, { kind: 'accepted' }>,
  ): Promise<AcceptedAnswer> {
    const receipt = outcome.receipt ?? (await this.deps.repository.findReceipt(outcome.sequence));
    if (receipt === null) throw new ServerError('INTERNAL_ERROR');
    return {
      status: 'ACCEPTED',
      sequence: outcome.sequence,
      receipt: Buffer.from(receipt.receipt).toString('base64'),
      receiptCode: receipt.receiptCode,
      revision: outcome.revision,
      created: outcome.created,
    };
  }
}
