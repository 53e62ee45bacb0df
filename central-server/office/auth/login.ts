import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { LockoutConfig } from '../../config.ts';
import { checkTotp } from '../../sessions/totp.ts';
import type { OfficeUserView } from '../web/context.ts';
import type { AuditWriter } from './audit-writer.ts';
import { OfficeAuthError } from './errors.ts';
import { afterFailure, AttemptLimiter, lockedForSeconds, OFFICE_LOCKOUT } from './lockout.ts';
import { decoyHash, PASSWORD_MAX_LENGTH, verifyPassword } from './password.ts';
import type { OfficeSessionRecord, OfficeUserRecord, OfficeUserStore } from './store.ts';
import { USER_NAME } from './users.ts';

/** How long a dashboard session lives (decisions/0086). */
export type SessionTimes = {
  /** without a request for this long, the session ends */
  readonly idleSeconds: number;
  /** after this long from the log-in, it ends regardless (a night shift) */
  readonly absoluteSeconds: number;
  /** the last-seen time is written at most this often (a page's requests are not all writes) */
  readonly touchEverySeconds: number;
};

export const OFFICE_SESSION_TIMES: SessionTimes = {
  idleSeconds: 60 * 60,
  absoluteSeconds: 12 * 60 * 60,
  touchEverySeconds: 60,
};

export const LOGIN_FORM = z.strictObject({
  name: z.string().trim().toLowerCase().regex(USER_NAME),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  code: z
    .string()
    .transform((c) => c.replace(/\s/g, ''))
    .pipe(z.string().regex(/^[0-9]{6}$/)),
});

export type LoginInput = {
  readonly form: unknown;
  /** the connection's peer address */
  readonly source: string;
  readonly requestId: string;
};

export type OpenedOfficeSession = {
  /** the cookie's value: shown to the browser once, stored only as its SHA-256 */
  readonly token: string;
  readonly csrfToken: string;
  readonly user: OfficeUserView;
  readonly expiresAt: Date;
};

export type AuthenticatedSession = {
  readonly user: OfficeUserView;
  readonly csrfToken: string;
  readonly tokenHash: string;
};

export type OfficeAuthDeps = {
  readonly store: OfficeUserStore;
  readonly audit: AuditWriter;
  readonly clock: () => Date;
  readonly lockout?: LockoutConfig;
  readonly times?: SessionTimes;
  /** log-in attempts per source address and window */
  readonly perSource?: { readonly attempts: number; readonly windowSeconds: number };
};

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');
const view = (u: OfficeUserRecord): OfficeUserView => ({ id: u.id, name: u.name, role: u.role });

/** Compares two tokens in constant time (lengths may differ: then they differ). */
export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

type Failure =
  'UNKNOWN_USER' | 'DISABLED' | 'PASSWORD' | 'TOTP_INVALID' | 'TOTP_REPLAYED' | 'CLOCK_BEHIND';

/**
 * Log-in with name, password and TOTP code; the sessions that follow; log-out. Every outcome is
 * an audit event: the log-in, each failure with its reason, the lock-out it starts, the log-out.
 * The password is checked outside the write lock (scrypt takes ~0.1 s); the TOTP step, the
 * counters and the session are decided and written under it, against the user as stored then.
 */
export class OfficeAuth {
  private readonly limiter: AttemptLimiter;
  private readonly lockout: LockoutConfig;
  readonly times: SessionTimes;

  constructor(private readonly deps: OfficeAuthDeps) {
    this.limiter = new AttemptLimiter(deps.perSource ?? { attempts: 10, windowSeconds: 60 });
    this.lockout = deps.lockout ?? OFFICE_LOCKOUT;
    this.times = deps.times ?? OFFICE_SESSION_TIMES;
  }

  async login(input: LoginInput): Promise<OpenedOfficeSession> {
    const { deps } = this;
    const now = deps.clock();
    const base = { at: now, requestId: input.requestId };
    const gate = this.limiter.allow(input.source, now);
    if (!gate.allowed) {
      if (gate.audit) {
        await deps.audit.run((draft) =>
          deps.store.appendAudit(
            draft({ ...base, kind: 'OFFICE_LOGIN_RATE_LIMITED', data: { source: input.source } }),
          ),
        );
      }
      throw new OfficeAuthError('LOGIN_RATE_LIMITED');
    }
    const parsed = LOGIN_FORM.safeParse(input.form);
    if (!parsed.success) throw new OfficeAuthError('LOGIN_INPUT_INVALID');
    const { name, password, code } = parsed.data;
    const known = await deps.store.findUserByName(name);
    const wait = lockedForSeconds(known?.lockedUntil ?? null, now);
    if (known !== null && wait > 0) {
      throw new OfficeAuthError('LOGIN_LOCKED', { retryAfterSeconds: wait });
    }
    const passwordOk = await verifyPassword(password, known?.passwordHash ?? (await decoyHash()));
    const outcome = await deps.audit.run(async (draft) => {
      const user = await deps.store.findUserByName(name);
      const checked = this.failure(user, passwordOk, code, now);
      if (user === null || typeof checked === 'string') {
        const reason: Failure = user === null ? 'UNKNOWN_USER' : (checked as Failure);
        const counted = user === null ? null : afterFailure(this.lockout, user.failedCount, now);
        const locks = counted !== null && counted.lockedUntil !== null;
        await deps.store.recordFailure(
          user?.id ?? null,
          counted,
          draft({
            ...base,
            kind: locks ? 'OFFICE_LOCKOUT' : 'OFFICE_LOGIN_FAILED',
            data: {
              name,
              reason,
              source: input.source,
              ...(counted === null
                ? {}
                : {
                    failedCount: counted.failedCount,
                    lockedUntil: counted.lockedUntil?.toISOString() ?? null,
                  }),
            },
          }),
        );
        // the failure is stored: the chain head moves (a throw here would leave it behind)
        return null;
      }
      const token = newToken();
      const session: OfficeSessionRecord = {
        tokenHash: hashToken(token),
        userId: user.id,
        csrfToken: newToken(),
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.times.absoluteSeconds * 1000),
        lastSeenAt: now,
      };
      const row = draft({
        ...base,
        kind: 'OFFICE_LOGIN',
        data: { name: user.name, role: user.role, source: input.source },
      });
      if (!(await deps.store.recordLogin(user.id, checked.timeStep, session, row))) {
        // cannot happen under the write lock (the store rolled back); refuse, never open twice
        throw new OfficeAuthError('LOGIN_FAILED');
      }
      return {
        token,
        csrfToken: session.csrfToken,
        user: view(user),
        expiresAt: session.expiresAt,
      };
    });
    if (outcome === null) throw new OfficeAuthError('LOGIN_FAILED');
    return outcome;
  }

  /** The reason a log-in fails, or the TOTP step it takes. */
  private failure(
    user: OfficeUserRecord | null,
    passwordOk: boolean,
    code: string,
    now: Date,
  ): Failure | { timeStep: number } {
    if (user === null) return 'UNKNOWN_USER';
    if (user.disabledAt !== null) return 'DISABLED';
    if (!passwordOk) return 'PASSWORD';
    const totp = checkTotp(user.totpSecret, code, user.totpLastStep, now);
    if (totp.ok) return { timeStep: totp.timeStep };
    return totp.reason === 'INVALID'
      ? 'TOTP_INVALID'
      : totp.reason === 'REPLAYED'
        ? 'TOTP_REPLAYED'
        : 'CLOCK_BEHIND';
  }

  /**
   * The session of a cookie's token: LOGIN_REQUIRED without one (or an unknown one),
   * SESSION_EXPIRED past its idle or absolute end (the row is then removed), and the user must
   * still be enabled. The last-seen time moves at most once a minute.
   */
  async authenticate(token: string | undefined): Promise<AuthenticatedSession> {
    const { deps } = this;
    if (token === undefined || token.length < 20 || token.length > 100) {
      throw new OfficeAuthError('LOGIN_REQUIRED');
    }
    const tokenHash = hashToken(token);
    const found = await deps.store.findSession(tokenHash);
    if (found === null) throw new OfficeAuthError('LOGIN_REQUIRED');
    const { session, user } = found;
    const now = deps.clock();
    const idleEnd = session.lastSeenAt.getTime() + this.times.idleSeconds * 1000;
    if (now.getTime() >= session.expiresAt.getTime() || now.getTime() >= idleEnd) {
      await deps.audit.run(() => deps.store.deleteSession(tokenHash, null));
      throw new OfficeAuthError('SESSION_EXPIRED');
    }
    if (user.disabledAt !== null) throw new OfficeAuthError('LOGIN_REQUIRED');
    if (now.getTime() - session.lastSeenAt.getTime() >= this.times.touchEverySeconds * 1000) {
      await deps.audit.run(() => deps.store.touchSession(tokenHash, now));
    }
    return { user: view(user), csrfToken: session.csrfToken, tokenHash };
  }

  async logout(session: AuthenticatedSession, requestId: string): Promise<void> {
    const { deps } = this;
    const now = deps.clock();
    await deps.audit.run((draft) =>
      deps.store.deleteSession(
        session.tokenHash,
        draft({
          at: now,
          requestId,
          kind: 'OFFICE_LOGOUT',
          data: { name: session.user.name, role: session.user.role },
        }),
      ),
    );
  }
}
