import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../../central-server/index.ts';
import {
  diffDatabaseToSchema,
  postgresqlSchema,
  PRISMA_DIRS,
  readMigrationList,
} from '../../../central-server/storage/migrate.ts';
import { postgresAdapter } from '../../../central-server/storage/postgres/connection.ts';
import { freshDatabase, query } from '../../postgres/database.ts';

const names = (dir: string) => readMigrationList(dir).migrationDirectories.map((d) => d.path);
const HOW = 'write it with: npx tsx scripts/prisma-migration-create.ts --postgresql';

describe('one schema, two databases: the PostgreSQL flavour follows schema.prisma', () => {
  it('prisma/postgresql/schema.prisma is schema.prisma with the PostgreSQL provider, nothing else', () => {
    const sqlite = readFileSync(join(PRISMA_DIRS.sqlite, 'schema.prisma'), 'utf8');
    const derived = readFileSync(join(PRISMA_DIRS.postgresql, 'schema.prisma'), 'utf8');
    expect(derived, HOW).toBe(postgresqlSchema(sqlite));
  });

  it('every SQLite migration has its PostgreSQL twin of the same name, and no other exists', () => {
    expect(names(PRISMA_DIRS.postgresql), HOW).toEqual(names(PRISMA_DIRS.sqlite));
  });

  it('the PostgreSQL migrations, applied once, leave a database that matches the schema exactly', async () => {
    const url = await freshDatabase('migrate');
    expect(await migrateDatabase(url)).toEqual(names(PRISMA_DIRS.postgresql));
    expect(await migrateDatabase(url)).toEqual([]);
    expect(await diffDatabaseToSchema(await postgresAdapter(url), PRISMA_DIRS.postgresql)).toBe('');
    const rows = await query<{ migration_name: string; checksum: string }>(
      url,
      'SELECT migration_name, checksum FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(names(PRISMA_DIRS.postgresql));
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
  });

  it('a database that drifted from the schema is detected', async () => {
    const url = await freshDatabase('drift');
    await migrateDatabase(url);
    await query(url, 'ALTER TABLE "Station" ADD COLUMN "rogue" TEXT');
    expect(await diffDatabaseToSchema(await postgresAdapter(url), PRISMA_DIRS.postgresql)).toMatch(
      /rogue/,
    );
  });

  it('two servers starting at once migrate one after the other (the schema engine locks)', async () => {
    const url = await freshDatabase('concurrent');
    const [a, b] = await Promise.all([migrateDatabase(url), migrateDatabase(url)]);
    expect([...a, ...b].sort()).toEqual(names(PRISMA_DIRS.postgresql));
  });
});
