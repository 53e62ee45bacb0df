import { Prisma } from './generated/client.ts';

/** Rows per INSERT statement (11 columns × 200 rows stays far below SQLite's variable limit). */
const ROWS_PER_STATEMENT = 200;

export type Executor = { $executeRaw(query: Prisma.Sql): Promise<number> };

/**
 * Multi-row `INSERT … VALUES (…), (…)` through Prisma's tagged SQL (so the placeholders fit the
 * adapter: `?` for SQLite, `$n` for PostgreSQL, and Dates/Bytes are encoded exactly as Prisma's
 * own writes are). Prisma's `createMany` compiles and encodes every row through its query
 * compiler, which costs ~1.7 ms per report with our blobs; this path costs ~0.05 ms
 * (docs/decisions/0033-intake-single-writer-group-commit.md has the measurements).
 */
export async function insertMany<Row extends Record<string, unknown>>(
  tx: Executor,
  table: string,
  columns: readonly (keyof Row & string)[],
  rows: readonly Row[],
  upsert?: { conflict: readonly (keyof Row & string)[]; update: readonly (keyof Row & string)[] },
): Promise<void> {
  if (rows.length === 0) return;
  const quote = (names: readonly string[]) => names.map((c) => `"${c}"`).join(', ');
  const head = Prisma.raw(`INSERT INTO "${table}" (${quote(columns)}) VALUES `);
  // ON CONFLICT … DO UPDATE: the same syntax in SQLite (≥ 3.24) and PostgreSQL
  const set = upsert?.update.map((c) => `"${c}" = excluded."${c}"`).join(', ');
  const tail = Prisma.raw(
    upsert === undefined ? '' : ` ON CONFLICT (${quote(upsert.conflict)}) DO UPDATE SET ${set}`,
  );
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const values = chunk.map(
      (row) => Prisma.sql`(${Prisma.join(columns.map((c) => toParam(row[c])))})`,
    );
    await tx.$executeRaw(Prisma.sql`${head}${Prisma.join(values)}${tail}`);
  }
}

function toParam(value: unknown): unknown {
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value);
  return value;
}
