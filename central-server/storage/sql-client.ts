import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { holdConnection } from './postgres/connection.ts';
import { useWal } from './sqlite-pragmas.ts';

/** What a query takes: Dates and bytes are encoded as Prisma encodes them (see below). */
export type SqlValue = string | number | null | Date | Uint8Array;

/** One statement at a time, inside or outside a transaction. Placeholders are `?` in both dialects. */
export interface SqlExecutor {
  /** the rows of a query (`SELECT`, or a write with `RETURNING`) */
  all<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** a write; the number of rows it changed */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

export type TransactionOptions = {
  /**
   * false: the COMMIT does not wait for its own fsync (SQLite: synchronous=NORMAL for this
   * transaction; PostgreSQL: `SET LOCAL synchronous_commit = off`); see `SqlRepository`.
   */
  readonly durable?: boolean;
};

/**
 * The server's queries on its database without Prisma (decision 0067, s7 follow-up): Prisma's
 * query compiler is WebAssembly that stays in the main thread once loaded (≈ 60 MB RSS). The rows
 * are read and written exactly as Prisma does (its audit export and the schema stay Prisma's):
 * a DateTime is an ISO 8601 text with `+00:00` in SQLite and a TIMESTAMP(3) holding UTC in
 * PostgreSQL; Bytes are BLOB / BYTEA and come back as Uint8Array.
 */
export interface SqlClient extends SqlExecutor {
  readonly dialect: 'sqlite' | 'postgresql';
  /** all of `fn`'s statements or none (it rolls back when `fn` throws) */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
}

/** The columns of type DateTime in prisma/schema.prisma (SQLite returns them as text). */
const DATE_COLUMNS = new Set([
  'at',
  'acceptedAt',
  'confirmedAt',
  'createdAt',
  'disabledAt',
  'expiresAt',
  'importedAt',
  'issuedAt',
  'lastFailureAt',
  'lastSeenAt',
  'lockedUntil',
  'receivedAt',
  'sessionOpenedAt',
  'signingTime',
  'updatedAt',
  // an alias: MAX("receivedAt") in OfficeActionStore.stationContacts
  'lastReportAt',
]);

/** prepared statements kept per SQLite connection */
const MAX_STATEMENTS = 1_000;

const asBytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
const asBuffer = (b: Uint8Array): Buffer =>
  Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** Prisma's encoding of a DateTime in SQLite (adapter-better-sqlite3, timestampFormat iso8601). */
export const sqliteDate = (d: Date): string => d.toISOString().replace('Z', '+00:00');

const toSqlite = (value: SqlValue): unknown =>
  value instanceof Date ? sqliteDate(value) : value instanceof Uint8Array ? asBuffer(value) : value;

function fromSqlite<Row>(row: Record<string, unknown>): Row {
  for (const key in row) {
    const value = row[key];
    if (value instanceof Buffer) row[key] = asBytes(value);
    else if (value !== null && DATE_COLUMNS.has(key)) row[key] = new Date(value as string | number);
  }
  return row as Row;
}

/**
 * A SQLite file through better-sqlite3, in the calling thread (the main thread: point reads and
 * small writes of sessions, the office and the audit log; the intake's batches have their own
 * connection in the writer thread). Statements are prepared once. better-sqlite3 is synchronous, so
 * a transaction spanning awaits is made exclusive here: every statement outside it waits until it
 * ends, and none of another caller's statements can land inside it.
 */
export class SqliteClient implements SqlClient {
  readonly dialect = 'sqlite';
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly direct: SqlExecutor = {
    all: <Row>(sql: string, params: readonly SqlValue[] = []) =>
      Promise.resolve(this.allNow<Row>(sql, params)),
    run: (sql: string, params: readonly SqlValue[] = []) =>
      Promise.resolve(this.runNow(sql, params)),
  };

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    // 5 s busy timeout: the writer thread's transactions are short, and an operator's sqlite3
    // shell might hold a lock for a moment
    this.db = new Database(file, { timeout: 5000 });
    useWal(this.db);
    this.db.pragma('foreign_keys = ON');
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      // bounded: multi-row INSERTs and IN lists make a statement per length
      if (this.statements.size >= MAX_STATEMENTS) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private allNow<Row>(sql: string, params: readonly SqlValue[]): Row[] {
    const rows = this.statement(sql).all(...params.map(toSqlite)) as Record<string, unknown>[];
    return rows.map((row) => fromSqlite<Row>(row));
  }

  private runNow(sql: string, params: readonly SqlValue[]): number {
    return this.statement(sql).run(...params.map(toSqlite)).changes;
  }

  /** runs `fn` after everything queued before it */
  private exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    const result = this.queue.then(fn);
    this.queue = result.catch(() => undefined);
    return result;
  }

  all<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return this.exclusive(() => this.allNow<Row>(sql, params));
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.exclusive(() => this.runNow(sql, params));
  }

  transaction<T>(
    fn: (tx: SqlExecutor) => Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    return this.exclusive(async () => {
      const relaxed = options.durable === false;
      if (relaxed) this.db.pragma('synchronous = NORMAL');
      try {
        // IMMEDIATE: the write lock is taken at the start (waiting up to the busy timeout), so a
        // transaction that reads first never fails on upgrading to a writer
        this.db.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(this.direct);
          this.db.exec('COMMIT');
          return result;
        } catch (error) {
          if (this.db.inTransaction) this.db.exec('ROLLBACK');
          throw error;
        }
      } finally {
        if (relaxed) this.db.pragma('synchronous = FULL');
      }
    });
  }

  close(): Promise<void> {
    return this.exclusive(() => {
      this.statements.clear();
      this.db.close();
    });
  }
}

const TIMESTAMP_OID = 1114;

/**
 * A TIMESTAMP(3) without time zone holds UTC wall time (Prisma's encoding); pg would read it as
 * local time.
 */
const pgTypes = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === TIMESTAMP_OID
      ? (text: string) => new Date(`${text.replace(' ', 'T')}Z`)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** A JS Date as Prisma stores it in a TIMESTAMP(3): UTC wall time (pg would send local time). */
const toPg = (value: SqlValue): unknown =>
  value instanceof Date
    ? value.toISOString()
    : value instanceof Uint8Array
      ? asBuffer(value)
      : value;

function fromPg<Row>(row: Record<string, unknown>): Row {
  for (const key in row) {
    const value = row[key];
    if (value instanceof Buffer) row[key] = asBytes(value);
  }
  return row as Row;
}

/** `?` placeholders as PostgreSQL's `$1, $2, …` (the server's SQL has no `?` anywhere else). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

async function pgAll<Row>(on: Queryable, sql: string, params: readonly SqlValue[]) {
  const result = await on.query({ text: numbered(sql), values: params.map(toPg), types: pgTypes });
  return (result.rows as Record<string, unknown>[]).map((row) => fromPg<Row>(row));
}

async function pgRun(on: Queryable, sql: string, params: readonly SqlValue[]) {
  const result = await on.query({ text: numbered(sql), values: params.map(toPg), types: pgTypes });
  return result.rowCount ?? 0;
}

/** PostgreSQL on a pool (closed by its owner): a transaction takes one connection of it. */
export class PostgresClient implements SqlClient {
  readonly dialect = 'postgresql';

  constructor(private readonly pool: pg.Pool) {}

  all<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return pgAll<Row>(this.pool, sql, params);
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return pgRun(this.pool, sql, params);
  }

  async transaction<T>(
    fn: (tx: SqlExecutor) => Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    const held = await holdConnection(this.pool);
    const { client } = held;
    const tx: SqlExecutor = {
      all: <Row>(sql: string, params: readonly SqlValue[] = []) => pgAll<Row>(client, sql, params),
      run: (sql: string, params: readonly SqlValue[] = []) => pgRun(client, sql, params),
    };
    try {
      await client.query('BEGIN');
      if (options.durable === false) await client.query('SET LOCAL synchronous_commit = off');
      const result = await fn(tx);
      await client.query('COMMIT');
      held.release();
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      // a connection in an unknown state is not given back to the pool
      held.release(error instanceof Error ? error : true);
      throw error;
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Rows per INSERT statement (11 columns × 200 rows stays far below SQLite's variable limit). */
const ROWS_PER_STATEMENT = 200;

/**
 * Multi-row `INSERT … VALUES (…), (…)`, optionally an upsert (`ON CONFLICT … DO UPDATE`: the same
 * syntax in SQLite ≥ 3.24 and PostgreSQL). Prisma's `createMany` compiles and encodes every row
 * through its query compiler (~1.7 ms per report with our blobs, decisions/0033); this is ~0.05 ms.
 */
export async function insertRows<Row extends { readonly [column: string]: unknown }>(
  tx: SqlExecutor,
  table: string,
  columns: readonly (keyof Row & string)[],
  rows: readonly Row[],
  upsert?: { conflict: readonly (keyof Row & string)[]; update: readonly (keyof Row & string)[] },
): Promise<void> {
  if (rows.length === 0) return;
  const quote = (names: readonly string[]) => names.map((c) => `"${c}"`).join(', ');
  const head = `INSERT INTO "${table}" (${quote(columns)}) VALUES `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const set = upsert?.update.map((c) => `"${c}" = excluded."${c}"`).join(', ');
  const tail =
    upsert === undefined ? '' : ` ON CONFLICT (${quote(upsert.conflict)}) DO UPDATE SET ${set}`;
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const values = chunk.flatMap((row) => columns.map((c) => row[c] as SqlValue));
    await tx.run(`${head}${chunk.map(() => tuple).join(', ')}${tail}`, values);
  }
}
