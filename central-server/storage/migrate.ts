import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { NO_FILTERS, openSchemaEngine } from './schema-engine.ts';
import type { SchemaFile } from './schema-engine.ts';

/** Where schema.prisma and the committed migrations live (the repository's prisma/ folder). */
export const PRISMA_DIR = join(import.meta.dirname, '..', '..', 'prisma');

export type Provider = 'sqlite' | 'postgresql';

/**
 * One schema, two flavours (decisions/0110): prisma/schema.prisma (SQLite) is the source;
 * prisma/postgresql/schema.prisma is derived from it by `postgresqlSchema` and holds the
 * PostgreSQL migrations beside it, one per SQLite migration, with the same name. Both are written
 * by scripts/prisma-migration-create.ts; tests/central-server/storage/migrate*.test.ts fail when
 * they drift apart.
 */
export const PRISMA_DIRS: Readonly<Record<Provider, string>> = {
  sqlite: PRISMA_DIR,
  postgresql: join(PRISMA_DIR, 'postgresql'),
};

const POSTGRESQL_HEADER =
  '// GENERATED from ../schema.prisma by scripts/prisma-migration-create.ts — do not edit; edit\n' +
  '// ../schema.prisma and run the script (docs/decisions/0110-one-schema-two-databases.md).\n\n';

/** The PostgreSQL flavour of schema.prisma: the same models, another provider and client. */
export function postgresqlSchema(sqliteSchema: string): string {
  const provider = /(datasource db \{\s*provider\s*=\s*)"sqlite"/;
  const output = /(output\s*=\s*)"\.\.\/central-server\/storage\/generated"/;
  if (!provider.test(sqliteSchema) || !output.test(sqliteSchema)) {
    throw new Error(
      'schema.prisma: datasource provider "sqlite" or the generator output not found',
    );
  }
  return (
    POSTGRESQL_HEADER +
    sqliteSchema
      .replace(provider, '$1"postgresql"')
      .replace(output, '$1"../../central-server/storage/generated-pg"')
  );
}

export function readSchemaFile(prismaDir = PRISMA_DIR): SchemaFile {
  return { path: 'schema.prisma', content: readFileSync(join(prismaDir, 'schema.prisma'), 'utf8') };
}

type MigrationList = {
  baseDir: string;
  lockfile: { path: string; content: string | null };
  shadowDbInitScript: string;
  migrationDirectories: {
    path: string;
    migrationFile: { path: string; content: { tag: 'ok'; value: string } };
  }[];
};

/** The committed migrations, in order, as the schema engine expects them. */
export function readMigrationList(prismaDir = PRISMA_DIR): MigrationList {
  const baseDir = join(prismaDir, 'migrations');
  const lockPath = join(baseDir, 'migration_lock.toml');
  const dirs = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(baseDir, d.name, 'migration.sql')))
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir,
    lockfile: {
      path: 'migration_lock.toml',
      content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: readFileSync(join(baseDir, name, 'migration.sql'), 'utf8') },
      },
    })),
  };
}

/**
 * Applies every committed migration that the database has not seen yet, with Prisma's own
 * `_prisma_migrations` bookkeeping (same checksums as `prisma migrate deploy`), through the wasm
 * schema engine and the given driver adapter. Returns the names applied now (empty if current).
 */
export async function applyMigrations(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  prismaDir = PRISMA_DIR,
): Promise<string[]> {
  const { engine, close } = await openSchemaEngine(readSchemaFile(prismaDir), adapterFactory);
  try {
    const result = await engine.applyMigrations({
      migrationsList: readMigrationList(prismaDir),
      filters: NO_FILTERS,
    });
    return result.appliedMigrationNames;
  } finally {
    await close();
  }
}

/**
 * The difference between the live database and schema.prisma as a SQL script; empty when the
 * migrated database matches the schema exactly.
 */
export async function diffDatabaseToSchema(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  prismaDir = PRISMA_DIR,
): Promise<string> {
  const schema = readSchemaFile(prismaDir);
  const { engine, close } = await openSchemaEngine(schema, adapterFactory);
  try {
    const result = await engine.diff({
      from: { tag: 'schemaDatasource', files: [schema], configDir: prismaDir },
      to: { tag: 'schemaDatamodel', files: [schema] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return withoutEmptyMarker(result.stdout);
  } finally {
    await close();
  }
}

function withoutEmptyMarker(stdout: string | null): string {
  const sql = (stdout ?? '').trim();
  return sql === '-- This is an empty migration.' ? '' : sql;
}

/**
 * The migration script from one datamodel to another (`from` null = an empty database) in the
 * flavour of the adapter's database; no database is touched.
 */
export async function diffSchemas(
  from: SchemaFile | null,
  to: SchemaFile,
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
): Promise<string> {
  const { engine, close } = await openSchemaEngine(to, adapterFactory);
  try {
    const result = await engine.diff({
      from: from === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [from] },
      to: { tag: 'schemaDatamodel', files: [to] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return withoutEmptyMarker(result.stdout);
  } finally {
    await close();
  }
}
