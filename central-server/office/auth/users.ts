import { generateSecret, generateURI } from 'otplib';
import { OFFICE_ROLES, type OfficeRole } from '../web/context.ts';
import type { AuditWriter } from './audit-writer.ts';
import { OfficeAuthError } from './errors.ts';
import { hashPassword } from './password.ts';
import type { OfficeUserRecord, OfficeUserStore } from './store.ts';

/** 2–40 characters: lower-case letters, digits, `.`, `-`, `_`, starting with a letter. */
export const USER_NAME = /^[a-z][a-z0-9._-]{1,39}$/;

export function parseUserName(name: string): string {
  const trimmed = name.trim().toLowerCase();
  if (!USER_NAME.test(trimmed)) throw new OfficeAuthError('USER_NAME_INVALID');
  return trimmed;
}

export function isOfficeRole(role: string): role is OfficeRole {
  return (OFFICE_ROLES as readonly string[]).includes(role);
}

/** What a new user needs for the authenticator app: shown once, at creation. */
export type Enrolment = {
  readonly user: { readonly id: number; readonly name: string; readonly role: OfficeRole };
  /** Base32, as typed into an authenticator app by hand */
  readonly totpSecret: string;
  readonly otpauthUri: string;
};

/** The user as lists show it: never the hash or the secret. */
export type OfficeUserSummary = {
  readonly id: number;
  readonly name: string;
  readonly role: OfficeRole;
  readonly createdAt: Date;
  readonly disabledAt: Date | null;
  readonly lockedUntil: Date | null;
  readonly failedCount: number;
};

const summary = (u: OfficeUserRecord): OfficeUserSummary => ({
  id: u.id,
  name: u.name,
  role: u.role,
  createdAt: u.createdAt,
  disabledAt: u.disabledAt,
  lockedUntil: u.lockedUntil,
  failedCount: u.failedCount,
});

/** Who did it: an office user (the dashboard) or the command line (`wahlkoffer users`). */
export type Actor = { readonly name: string; readonly via: 'dashboard' | 'cli' };

/**
 * Adding, listing and disabling office users, for the CLI and the dashboard alike. Each change
 * is one transaction with its audit event. A user is never deleted (the audit log names them).
 */
export class OfficeUsers {
  constructor(
    private readonly deps: {
      readonly store: OfficeUserStore;
      readonly audit: AuditWriter;
      readonly clock: () => Date;
      /** the issuer shown in the authenticator app */
      readonly issuer: string;
    },
  ) {}

  async add(input: {
    readonly name: string;
    readonly role: string;
    readonly password: string;
    readonly actor: Actor;
    readonly requestId?: string;
  }): Promise<Enrolment> {
    const { deps } = this;
    const name = parseUserName(input.name);
    if (!isOfficeRole(input.role)) throw new OfficeAuthError('ROLE_INVALID');
    const role = input.role;
    const passwordHash = await hashPassword(input.password);
    const totpSecret = generateSecret({ length: 20 });
    const now = deps.clock();
    const id = await deps.audit.run(async (draft) => {
      if ((await deps.store.findUserByName(name)) !== null) return null;
      return deps.store.createUser(
        { name, role, passwordHash, totpSecret, createdAt: now },
        draft({
          at: now,
          requestId: input.requestId ?? null,
          kind: 'OFFICE_USER_ADDED',
          data: { name, role, by: input.actor.name, via: input.actor.via },
        }),
      );
    });
    if (id === null) throw new OfficeAuthError('USER_EXISTS');
    return {
      user: { id, name, role },
      totpSecret,
      otpauthUri: generateURI({ issuer: deps.issuer, label: name, secret: totpSecret }),
    };
  }

  async list(): Promise<readonly OfficeUserSummary[]> {
    return (await this.deps.store.listUsers()).map(summary);
  }

  /** Disables a user and ends their sessions; the last enabled admin stays. */
  async disable(input: {
    readonly name: string;
    readonly actor: Actor;
    readonly requestId?: string;
  }): Promise<OfficeUserSummary> {
    const { deps } = this;
    const name = parseUserName(input.name);
    const now = deps.clock();
    return deps.audit.run(async (draft) => {
      const users = await deps.store.listUsers();
      const user = users.find((u) => u.name === name);
      if (user === undefined) throw new OfficeAuthError('USER_UNKNOWN');
      if (user.disabledAt !== null) return summary(user);
      const admins = users.filter((u) => u.role === 'admin' && u.disabledAt === null);
      if (user.role === 'admin' && admins.length <= 1) throw new OfficeAuthError('LAST_ADMIN');
      await deps.store.disableUser(
        user.id,
        now,
        draft({
          at: now,
          requestId: input.requestId ?? null,
          kind: 'OFFICE_USER_DISABLED',
          data: { name, role: user.role, by: input.actor.name, via: input.actor.via },
        }),
      );
      return { ...summary(user), disabledAt: now };
    });
  }
}
