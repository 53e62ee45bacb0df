import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { withOfficeUsers, type OfficeRole } from '../../central-server/index.ts';

/** The demo's office: an admin, two operators for the phone, an auditor. */
export const DEMO_OFFICE_USERS: readonly { name: string; role: OfficeRole }[] = [
  { name: 'wahlleitung', role: 'admin' },
  { name: 'telefon1', role: 'operator' },
  { name: 'telefon2', role: 'operator' },
  { name: 'pruefung', role: 'auditor' },
];

export type DemoOfficeUser = {
  readonly name: string;
  readonly role: OfficeRole;
  readonly password: string;
  readonly totpSecret: string;
  readonly otpauthUri: string;
};

/**
 * Adds the demo's office users to the database before the servers start and writes their
 * passwords and TOTP secrets to `file` (owner-only). Demo only: a real office types each
 * password itself (`wahlkoffer users add`) and keeps the TOTP secret in an authenticator app.
 */
export async function createDemoOfficeUsers(db: string, file: string): Promise<void> {
  const users: DemoOfficeUser[] = [];
  await withOfficeUsers(db, async (office) => {
    for (const { name, role } of DEMO_OFFICE_USERS) {
      const password = randomBytes(12).toString('base64url');
      const enrolment = await office.add({
        name,
        role,
        password,
        actor: { name: 'demo', via: 'cli' },
      });
      const { totpSecret, otpauthUri } = enrolment;
      users.push({ name, role, password, totpSecret, otpauthUri });
    }
  });
  const content = {
    note: 'demo only: the office users of this demo, with their passwords and TOTP secrets (type the current code of the secret into the log-in, e.g. with `oathtool --totp -b <secret>`)',
    users,
  };
  await writeFile(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
}
