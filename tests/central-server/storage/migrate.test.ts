import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../../central-server/index.ts';
import { sqliteAdapter } from '../../../central-server/storage/database.ts';
import {
  diffDatabaseToSchema,
  readMigrationList,
} from '../../../central-server/storage/migrate.ts';

const dir = mkdtempSync(join(tmpdir(), 'wahlkoffer-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('database migrations without the Prisma engine binary', () => {
  const db = join(dir, 'server.db');

  it('apply every committed migration to a new database, once', async () => {
    const names = readMigrationList().migrationDirectories.map((d) => d.path);
    expect(names.length).toBeGreaterThan(0);
    expect(await migrateDatabase(db)).toEqual(names);
    expect(await migrateDatabase(db)).toEqual([]);
  });

  it('leave a database that matches schema.prisma exactly (schema engine diff is empty)', async () => {
    expect(await diffDatabaseToSchema(await sqliteAdapter(db))).toBe('');
  });

  it("keep Prisma's own bookkeeping, so the Prisma CLI would see the same history", () => {
    const sqlite = new Database(db, { readonly: true });
    const rows = sqlite
      .prepare('SELECT migration_name, checksum, finished_at FROM _prisma_migrations')
      .all() as {
      migration_name: string;
      checksum: string;
      finished_at: number | null;
    }[];
    sqlite.close();
    expect(rows.map((r) => r.migration_name)).toEqual(
      readMigrationList().migrationDirectories.map((d) => d.path),
    );
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum) && r.finished_at !== null)).toBe(
      true,
    );
  });

  it('detect a database that drifted from the schema', async () => {
    const sqlite = new Database(db);
    sqlite.exec('ALTER TABLE "Station" ADD COLUMN "rogue" TEXT');
    sqlite.close();
    expect(await diffDatabaseToSchema(await sqliteAdapter(db))).toMatch(/rogue|Station/);
  });
});
