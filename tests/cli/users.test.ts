import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { verifySync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockDatabase } from '../../central-server/index.ts';
import { verifyAuditChain } from '../../central-server/storage/audit-chain.ts';
import type { AuditRow } from '../../central-server/storage/repository.ts';
import { runWahlkoffer } from './run-wahlkoffer.ts';

let dir: string;
let db: string;
let passwordFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wahlkoffer-users-'));
  db = join(dir, 'server.db');
  passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, 'ein langes passwort\n', { mode: 0o600 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const add = (name: string, role: string, file = passwordFile) =>
  runWahlkoffer([
    'users',
    'add',
    '--db',
    db,
    '--name',
    name,
    '--role',
    role,
    '--password-file',
    file,
  ]);

function table<T>(sql: string): T[] {
  const sqlite = new Database(db, { readonly: true });
  try {
    return sqlite.prepare(sql).all() as T[];
  } finally {
    sqlite.close();
  }
}

describe('wahlkoffer users add', { timeout: 120_000 }, () => {
  it('stores the user with a scrypt hash and prints the TOTP secret and its otpauth URI', async () => {
    const result = await add('anna', 'admin');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const secret = /TOTP secret: ([A-Z2-7]+)/.exec(result.stdout)?.[1];
    expect(secret).toBeDefined();
    expect(result.stdout).toContain(
      `otpauth://totp/Wahlkoffer:anna?secret=${secret}&issuer=Wahlkoffer`,
    );
    const [row] = table<{ name: string; role: string; passwordHash: string; totpSecret: string }>(
      'SELECT * FROM "OfficeUser"',
    );
    expect(row).toMatchObject({ name: 'anna', role: 'admin', totpSecret: secret });
    expect(row?.passwordHash).toMatch(/^scrypt\$15\$8\$1\$/);
    expect(row?.passwordHash).not.toContain('ein langes passwort');
    // the printed secret is the one an authenticator app needs
    const epoch = Math.floor(Date.now() / 1000);
    const { generateSync } = await import('otplib');
    expect(
      verifySync({ secret: secret!, token: generateSync({ secret: secret!, epoch }), epoch }).valid,
    ).toBe(true);
  });

  it('writes the addition into the audit chain', async () => {
    await add('otto', 'operator');
    const rows = table<AuditRow>('SELECT * FROM "AuditEvent" ORDER BY "id"');
    expect(rows.map((r) => r.kind)).toEqual(['OFFICE_USER_ADDED', 'OFFICE_USER_ADDED']);
    expect(verifyAuditChain(rows)).toBeNull();
    expect(rows[1]?.event).toContain('"via":"cli"');
  });

  it('refuses a name that exists (exit 1), a bad name, a short password (exit 2)', async () => {
    const again = await add('anna', 'auditor');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Einen Benutzer mit diesem Namen gibt es schon');
    expect((await add('Anna Amsel!', 'auditor')).code).toBe(2);
    const short = join(dir, 'short');
    writeFileSync(short, 'kurz', { mode: 0o600 });
    const tooShort = await add('kurt', 'auditor', short);
    expect(tooShort.code).toBe(2);
    expect(tooShort.stderr).toContain('mindestens 12 Zeichen');
    expect((await add('rolf', 'boss')).code).toBe(2);
  });

  it('refuses a password file others can read', async () => {
    const open = join(dir, 'open');
    writeFileSync(open, 'ein langes passwort');
    chmodSync(open, 0o644);
    const result = await add('olga', 'auditor', open);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('chmod 600');
  });

  it('asks for a password file when there is no terminal to type it', async () => {
    const result = await runWahlkoffer([
      'users',
      'add',
      '--db',
      db,
      '--name',
      'tina',
      '--role',
      'auditor',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--password-file');
  });

  it('refuses while a server holds the SQLite file, saying what to do', async () => {
    const held = lockDatabase(db);
    try {
      const result = await add('paul', 'operator');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('laufenden Server');
    } finally {
      held.release();
    }
  });
});

describe('wahlkoffer users list and disable', { timeout: 120_000 }, () => {
  it('lists users with role and state, disables one, keeps the last admin', async () => {
    expect((await runWahlkoffer(['users', 'disable', '--db', db, '--name', 'otto'])).code).toBe(0);
    const list = await runWahlkoffer(['users', 'list', '--db', db, '--json']);
    const users = JSON.parse(list.stdout) as {
      name: string;
      role: string;
      disabledAt: string | null;
    }[];
    expect(users.map((u) => [u.name, u.role, u.disabledAt !== null])).toEqual([
      ['anna', 'admin', false],
      ['otto', 'operator', true],
    ]);
    const last = await runWahlkoffer(['users', 'disable', '--db', db, '--name', 'anna']);
    expect(last.code).toBe(1);
    expect(last.stderr).toContain('letzte aktive Administrator');
    const unknown = await runWahlkoffer(['users', 'disable', '--db', db, '--name', 'niemand']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('gibt es nicht');
    const text = await runWahlkoffer(['users', 'list', '--db', db]);
    expect(text.stdout).toMatch(/otto\s+operator\s+gesperrt\/disabled/);
  });
});
