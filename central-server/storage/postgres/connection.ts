import type { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { Prisma } from '../database.ts';

export type PoolOptions = {
  /** connections for queries and transactions (the lock and the listener have their own) */
  readonly size?: number;
  /** shown in pg_stat_activity, so an operator sees which server holds what */
  readonly applicationName?: string;
  /** errors of idle connections (a restarted database); they must not end the process */
  readonly onError?: (error: Error) => void;
};

/**
 * A connection pool to the PostgreSQL server. TCP keep-alive notices a peer that vanished; a
 * session that sits inside a transaction without a word for 30 s (a server that hangs or was
 * cut off mid-transaction) is ended by PostgreSQL itself, so it cannot hold rows or the intake
 * lock for longer than that (docs/decisions/0111).
 */
export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.size ?? 10,
    application_name: options.applicationName ?? 'wahlkoffer',
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    connectionTimeoutMillis: 15_000,
    options: '-c idle_in_transaction_session_timeout=30000',
  });
  pool.on('error', (error) => options.onError?.(error));
  return pool;
}

/** A connection taken from the pool for several queries in a row (a transaction, the write lock). */
export type HeldConnection = {
  readonly client: pg.PoolClient;
  /** gives it back; with an error (or `true`) the pool closes it instead of reusing it */
  release(error?: Error | boolean): void;
};

/**
 * Takes a connection from the pool for several queries in a row. While a connection is out of the
 * pool, the pool no longer listens for its errors: one cut between two queries (PostgreSQL
 * restarted or failed over: `57P01 terminating connection due to administrator command`) would
 * emit an `error` event nobody listens to, which ends the process. Held here, such an error is
 * only noted: the connection's next query fails, and the caller's error handling (a failed batch,
 * a lost lock) takes it from there.
 */
export async function holdConnection(pool: pg.Pool): Promise<HeldConnection> {
  const client = await pool.connect();
  const noted = (): void => undefined;
  client.on('error', noted);
  return {
    client,
    release: (error) => {
      client.removeListener('error', noted);
      client.release(error);
    },
  };
}

/**
 * Prisma on PostgreSQL through @prisma/adapter-pg, on the given pool (closed by its owner, not
 * by Prisma). Prisma generates one client per provider (central-server/storage/generated-pg/ from
 * prisma/postgresql/schema.prisma); both have the same models and query API — the PostgreSQL one
 * only adds options — so the repository is typed against the SQLite client, and its tests run
 * every method against both databases (decisions/0110).
 */
export async function openPostgresClient(pool: pg.Pool): Promise<Prisma> {
  // imported here, not with this module: the running server does not load Prisma (database.ts)
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const { PrismaClient } = await import('../generated-pg/client.ts');
  return new PrismaClient({ adapter: new PrismaPg(pool) }) as unknown as Prisma;
}

/** An adapter factory for the schema engine (migrations, schema diffs); it opens its own pool. */
export async function postgresAdapter(url: string): Promise<PrismaPg> {
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const pool = new pg.Pool({ connectionString: url, max: 2, Client: CatalogClient });
  return new PrismaPg(pool, { disposeExternalPool: true });
}

const CHAR_OID = 18;
const TEXT_OID = 25;

type Result = { fields?: { dataTypeID: number }[] };
const charAsText = <R>(result: R): R => {
  for (const field of (result as Result | undefined)?.fields ?? []) {
    if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
  }
  return result;
};

/**
 * The schema engine reads PostgreSQL's catalogs, whose one-byte `"char"` columns (pg_class.relkind,
 * pg_constraint.contype, …) @prisma/adapter-pg refuses ("Column type 'char' could not be
 * deserialized"), so describing a database (schema diffs, the drift test) fails. pg already
 * returns such a value as a one-character string; this client only reports the column as text.
 * Used for the schema engine alone, never for the server's queries.
 */
class CatalogClient extends pg.Client {
  override query(...args: unknown[]): never {
    const callback = args.at(-1);
    const query = super.query as (...a: unknown[]) => unknown;
    if (typeof callback === 'function') {
      args[args.length - 1] = (error: unknown, result: unknown) =>
        (callback as (e: unknown, r: unknown) => void)(error, charAsText(result));
      return query.apply(this, args) as never;
    }
    const out = query.apply(this, args);
    return (out instanceof Promise ? out.then(charAsText) : out) as never;
  }
}
