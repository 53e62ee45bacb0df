import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import type { LockoutConfig } from '../config.ts';
import { ServerError } from '../errors.ts';
import type { ServerPki, StationProof } from '../ports.ts';
import type { AuditChain } from '../storage/audit-chain.ts';
import type { ServerRepository, StationRecord } from '../storage/repository.ts';
import type { WriteLock } from '../write-lock.ts';
import { checkChallenge, issueChallenge } from './challenge.ts';
import { retryAfterSeconds } from './lockout.ts';
import { RecentSessions, type SessionAnswer } from './recent-sessions.ts';
import type { StationSync } from './station-sync.ts';
import {
  issueToken,
  sessionExpiry,
  verifyToken,
  type SessionClaims,
} from './token.ts';
import { checkTotp } from './totp.ts';

export type SessionServiceDeps = {
  readonly pki: ServerPki;
  readonly repository: ServerRepository;
  /** where the audit chain head lives (it moves with every committed audit row) */
  readonly state: { readonly audit: AuditChain };
  readonly stations: StationSync;
  readonly lock: WriteLock;
  readonly lockout: LockoutConfig;
  readonly challengeTtlSeconds: number;
  readonly electionDate: string;
};

type Signer = { precinctId: string; serial: string; fingerprint: string };

/** Derives independent keys for challenges and tokens from the server's key material (RFC 5869). */
function deriveKey(material: Uint8Array, label: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', material, 'wahlkoffer', label, 32));
}

/**
 * Opening a station session: the kit proves possession of its station key (signs a fresh server
 * challenge) and the Wahlvorsteher's TOTP code (second factor, accepted once only, back-off after
 * wrong codes). The answer is a stateless token valid through election night; every use of it
 * checks the certificate behind it against the CRL in force.
 */
export class SessionService {
  private readonly challengeKey: Uint8Array;
  private readonly tokenKey: KeyObject;
  private readonly recent = new RecentSessions();

  constructor(private readonly deps: SessionServiceDeps) {
    this.challengeKey = deriveKey(deps.pki.sessionKeyMaterial, 'session-challenge/v1');
    this.tokenKey = createSecretKey(deriveKey(deps.pki.sessionKeyMaterial, 'session-token/v1'));
  }

  challenge(now: Date): { challenge: string; expiresAt: Date } {
    return issueChallenge(this.challengeKey, now, this.deps.challengeTtlSeconds);
  }

  async open(
    proof: StationProof & { totp: string },
    now: Date,
    requestId: string,
  ): Promise<SessionAnswer> {
    const challengeExpiry = checkChallenge(this.challengeKey, proof.challenge, now);
    const signer = await this.deps.pki.verifyStationProof(proof, now);
    const key = RecentSessions.keyOf(proof);
    const resent = this.recent.lookup(key, now);
    if (resent !== undefined) return resent;
    await this.registeredStation(signer, now);
    const request = { key, validUntil: challengeExpiry };
    const answer = await this.deps.lock.run(() =>
      this.checkTotp(signer, proof.totp, now, requestId, request),
    );
    this.recent.remember(key, answer, challengeExpiry);
    return answer;
  }

  /** The claims of a valid token whose certificate is not revoked (CRL in force at `now`). */
  async verify(authorization: string | undefined, now: Date): Promise<SessionClaims> {
    const claims = await verifyToken(
      this.tokenKey,
      authorization,
      now,
      this.deps.pki.electionId,
    );
    await this.deps.pki.checkNotRevoked(claims.serial, now);
    return claims;
  }

  /**
   * The station must be in the register with exactly this certificate. The register follows the
   * PKI directory (one stat of stations.json per request, shared by concurrent requests; re-read
   * when it changed), so a kit issued or re-issued during the night gets in at once and the kit
   * it replaced does not.
   */
  private async registeredStation(signer: Signer, now: Date): Promise<void> {
    const { deps } = this;
    await deps.stations.sync(now);
    const station = await deps.repository.findStation(signer.precinctId);
    if (
      station !== null &&
      station.electionId === deps.pki.electionId &&
      station.certFingerprint === signer.fingerprint
    ) {
      return;
    }
    if (station === null || station.electionId !== deps.pki.electionId) {
      throw new ServerError('STATION_UNKNOWN');
    }
    throw new ServerError('CERTIFICATE_SUPERSEDED');
  }

  /**
   * Under the write lock: back-off, the TOTP code (once only), and its bookkeeping. A code already
   * used by this very request (same challenge, signature, code and certificate; the answer got
   * lost, perhaps with the server that gave it) is answered with the same token, on any server,
   * while the challenge is valid (decisions/0112).
   */
  private async checkTotp(
    signer: Signer,
    totp: string,
    now: Date,
    requestId: string,
    request: { readonly key: string; readonly validUntil: Date },
  ): Promise<SessionAnswer> {
    const { deps } = this;
    const station = await deps.repository.findStation(signer.precinctId);
    if (station === null) throw new ServerError('STATION_UNKNOWN');
    const wait = retryAfterSeconds(deps.lockout, station, now);
    if (wait > 0) throw new ServerError('SESSION_LOCKED', { retryAfterSeconds: wait });
    const check = checkTotp(deps.pki.decryptTotpSecret(station), totp, station.totpLastStep, now);
    const base = { at: now, precinctId: station.precinctId, requestId };
    if (!check.ok) {
      if (check.reason === 'REPLAYED') {
        const again = this.sameRequestAgain(station, request, now, signer);
        if (again !== undefined) return again;
      }
      // Only a wrong code is evidence of guessing; a replayed code or a server clock that went
      // back is not, so neither counts towards the lock-out.
      const counts = check.reason === 'INVALID';
      const data = {
        reason: check.reason,
        failedAttempts: station.failedAttempts + (counts ? 1 : 0),
      };
      const row = this.auditRow({ ...base, kind: 'SESSION_REFUSED', data });
      if (counts) await deps.repository.recordTotpFailure(station.precinctId, now, row);
      else await deps.repository.appendAudit(row);
      deps.state.audit.advance(row);
      throw new ServerError(TOTP_REFUSALS[check.reason]);
    }
    const row = this.auditRow({
      ...base,
      kind: 'SESSION_OPENED',
      data: { serial: signer.serial, fingerprint: signer.fingerprint, timeStep: check.timeStep },
    });
    const session = { request: request.key, at: now };
    if (
      !(await deps.repository.recordTotpSuccess(station.precinctId, check.timeStep, row, session))
    ) {
      // another server took this step a moment ago: for this same request, its token
      const stored = await deps.repository.findStation(station.precinctId);
      const again =
        stored === null ? undefined : this.sameRequestAgain(stored, request, now, signer);
      if (again !== undefined) return again;
      throw new ServerError('TOTP_REPLAYED');
    }
    deps.state.audit.advance(row);
    return this.answer(signer, now);
  }

  /** The token the station's last session got, if `request` is that session's request again. */
  private sameRequestAgain(
    station: StationRecord,
    request: { readonly key: string; readonly validUntil: Date },
    now: Date,
    signer: Signer,
  ): Promise<SessionAnswer> | undefined {
    if (
      station.sessionRequest !== request.key ||
      station.sessionOpenedAt === null ||
      now.getTime() >= request.validUntil.getTime()
    ) {
      return undefined;
    }
    return this.answer(signer, station.sessionOpenedAt);
  }

  /** The session token (deterministic: the same claims and issue time give the same token). */
  private async answer(signer: Signer, issuedAt: Date): Promise<SessionAnswer> {
    const { deps } = this;
    const expiresAt = sessionExpiry(deps.electionDate);
    const claims: SessionClaims = {
      precinctId: signer.precinctId,
      electionId: deps.pki.electionId,
      fingerprint: signer.fingerprint,
      serial: signer.serial,
    };
    return {
      token: await issueToken(this.tokenKey, claims, issuedAt, expiresAt),
      expiresAt,
      precinctId: signer.precinctId,
    };
  }

  private auditRow(event: Parameters<AuditChain['draft']>[0]) {
    return this.deps.state.audit.draft(event);
  }
}

const TOTP_REFUSALS = {
  INVALID: 'TOTP_INVALID',
  REPLAYED: 'TOTP_REPLAYED',
  CLOCK_BEHIND: 'SERVER_CLOCK_BEHIND',
} as const;
