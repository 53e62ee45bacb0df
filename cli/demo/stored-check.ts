import Database from 'better-sqlite3';
import pg from 'pg';
import { databaseTarget } from '../../central-server/index.ts';
import type { Schnellmeldung } from '../../election/index.ts';
import type { TaskResult } from '../simulate/summary.ts';

type StoredRow = {
  sequence: number;
  precinctId: string;
  contestId: string;
  revision: number;
  receiptCode: string;
};

const SQL =
  'SELECT r."sequence", r."precinctId", r."contestId", r."revision", c."receiptCode" ' +
  'FROM "Report" r JOIN "Receipt" c ON c."sequence" = r."sequence" ORDER BY r."sequence"';

/** Every stored report with its receipt code, read directly from the database (SQLite or PostgreSQL). */
export async function readStoredReports(db: string): Promise<StoredRow[]> {
  const target = databaseTarget(db);
  if (target.provider === 'sqlite') {
    const sqlite = new Database(target.file, { readonly: true, fileMustExist: true });
    try {
      return sqlite.prepare(SQL).all() as StoredRow[];
    } finally {
      sqlite.close();
    }
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    return (await client.query<StoredRow>(SQL)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Every receipt a kit got names a stored report of its precinct and contest, under the same
 * sequence number and receipt code; no precinct, contest and revision is stored twice; the
 * sequence numbers have no gaps. Returns what is wrong (empty: all as it should be).
 */
export function checkStoredOnce(
  stored: readonly StoredRow[],
  results: readonly TaskResult[],
  truth: readonly Schnellmeldung[],
): string[] {
  const problems: string[] = [];
  const bySequence = new Map(stored.map((r) => [r.sequence, r] as const));
  for (const { task, outcome } of results) {
    if (outcome.status !== 'ACCEPTED') continue;
    const row = bySequence.get(outcome.sequence);
    const tally = truth[task.truthIndex];
    if (
      row === undefined ||
      row.receiptCode !== outcome.receiptCode ||
      row.precinctId !== tally?.precinctId ||
      row.contestId !== tally.contestId
    ) {
      problems.push(
        `receipt ${outcome.receiptCode} (sequence ${outcome.sequence}) not stored as given`,
      );
    }
  }
  const keys = new Set(stored.map((r) => `${r.precinctId}/${r.contestId}/${r.revision}`));
  if (keys.size !== stored.length) problems.push('a revision is stored twice');
  if (stored.some((r, i) => r.sequence !== i + 1)) problems.push('the sequence numbers have gaps');
  return problems;
}
