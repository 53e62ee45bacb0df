import { hkdfSync } from 'node:crypto';
import type { LockoutConfig } from '../config.ts';
import { ServerError } from '../errors.ts';
import type { ServerPki, StationProof } from '../ports.ts';
import type { AuditChain } from '../storage/audit-chain.ts';
import type { ServerRepository } from '../storage/repository.ts';
import type { WriteLock } from '../write-lock.ts';
import { checkChallenge, issueChallenge } from './challenge.ts';
import { retryAfterSeconds } from './lockout.ts';
import {
  issueToken,
  sessionExpiry,
  verifyToken,
  VerifiedTokens,
  type SessionClaims,
} from './token.ts';
import { checkTotp } from './totp.ts';

export type SessionServiceDeps = {
  readonly pki: ServerPki;
  readonly repository: ServerRepository;
  /** where the audit chain head lives (it moves with every committed audit row) */
  readonly state: { readonly audit: AuditChain };
  readonly lock: WriteLock;
  readonly lockout: LockoutConfig;
  readonly challengeTtlSeconds: number;
  readonly electionDate: string;
};

/** Derives independent keys for challenges and tokens from the server's key material (RFC 5869). */
function deriveKey(material: Uint8Array, label: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', material, 'wahlkoffer', label, 32));
}

/**
 * Opening a station session: the kit proves possession of its station key (signs a fresh server
 * challenge) and the Wahlvorsteher's TOTP code (second factor, accepted once only, back-off after
 * failures). The answer is a stateless token valid through election night.
 */
export class SessionService {
  private readonly challengeKey: Uint8Array;
  private readonly tokenKey: Uint8Array;
  private readonly verifiedTokens = new VerifiedTokens();

  constructor(private readonly deps: SessionServiceDeps) {
    this.challengeKey = deriveKey(deps.pki.sessionKeyMaterial, 'session-challenge/v1');
    this.tokenKey = deriveKey(deps.pki.sessionKeyMaterial, 'session-token/v1');
  }

  challenge(now: Date): { challenge: string; expiresAt: Date } {
    return issueChallenge(this.challengeKey, now, this.deps.challengeTtlSeconds);
  }

  async open(
    proof: StationProof & { totp: string },
    now: Date,
    requestId: string,
  ): Promise<{ token: string; expiresAt: Date; precinctId: string }> {
    const { deps } = this;
    checkChallenge(this.challengeKey, proof.challenge, now);
    const signer = await deps.pki.verifyStationProof(proof, now);
    return deps.lock.run(async () => {
      const station = await deps.repository.findStation(signer.precinctId);
      if (station === null || station.electionId !== deps.pki.electionId) {
        throw new ServerError('STATION_UNKNOWN');
      }
      const wait = retryAfterSeconds(deps.lockout, station, now);
      if (wait > 0) throw new ServerError('SESSION_LOCKED', { retryAfterSeconds: wait });
      const check = checkTotp(
        deps.pki.decryptTotpSecret(station),
        proof.totp,
        station.totpLastStep,
        now,
      );
      const base = { at: now, precinctId: station.precinctId, requestId };
      if (!check.ok) {
        const event = { reason: check.reason, failedAttempts: station.failedAttempts + 1 };
        const row = this.auditRow({ ...base, kind: 'SESSION_REFUSED', data: event });
        await deps.repository.recordTotpFailure(station.precinctId, now, row);
        deps.state.audit.advance(row);
        throw new ServerError(check.reason === 'REPLAYED' ? 'TOTP_REPLAYED' : 'TOTP_INVALID');
      }
      const row = this.auditRow({
        ...base,
        kind: 'SESSION_OPENED',
        data: { serial: signer.serial, fingerprint: signer.fingerprint, timeStep: check.timeStep },
      });
      if (!(await deps.repository.recordTotpSuccess(station.precinctId, check.timeStep, row))) {
        throw new ServerError('TOTP_REPLAYED');
      }
      deps.state.audit.advance(row);
      const expiresAt = sessionExpiry(deps.electionDate);
      const claims: SessionClaims = {
        precinctId: signer.precinctId,
        electionId: deps.pki.electionId,
        fingerprint: signer.fingerprint,
        serial: signer.serial,
      };
      return {
        token: await issueToken(this.tokenKey, claims, now, expiresAt),
        expiresAt,
        precinctId: signer.precinctId,
      };
    });
  }

  verify(authorization: string | undefined, now: Date): Promise<SessionClaims> {
    return verifyToken(
      this.tokenKey,
      authorization,
      now,
      this.deps.pki.electionId,
      this.verifiedTokens,
    );
  }

  private auditRow(event: Parameters<AuditChain['draft']>[0]) {
    return this.deps.state.audit.draft(event);
  }
}
