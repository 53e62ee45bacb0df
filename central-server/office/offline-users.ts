import { createLogger } from '../logger.ts';
import { AuditChain } from '../storage/audit-chain.ts';
import { lockDatabase } from '../storage/database-lock.ts';
import { databaseTarget, migrateDatabase } from '../storage/database.ts';
import { openStorage, type OpenedStorage } from '../storage/open-storage.ts';
import type { AuditRow } from '../storage/repository.ts';
import type { AuditWriter } from './auth/audit-writer.ts';
import { OfficeUsers } from './auth/users.ts';

/**
 * The audit writer outside a server: the PostgreSQL advisory write lock held (running servers
 * take it before each write and catch up with what was written meanwhile, decisions/0111), the
 * chain head read from the database under it.
 */
function offlineAuditWriter(storage: OpenedStorage): AuditWriter {
  return {
    run: async (fn) => {
      const held = await storage.shared?.lock.acquire();
      try {
        const { auditHead } = await storage.repository.loadTail(Number.MAX_SAFE_INTEGER);
        const chain = new AuditChain(auditHead);
        let last: AuditRow | undefined;
        return await fn((event) => (last = chain.draft(event, last)));
      } finally {
        await held?.release();
      }
    },
  };
}

/**
 * Runs `fn` with the office users of a database (migrated first), for `wahlkoffer users` and the
 * demo. A SQLite file is held like a server holds it, so this fails with DatabaseInUse while a
 * server runs on it (the server's audit chain head would fall behind); on PostgreSQL it works
 * beside running servers.
 */
export async function withOfficeUsers<T>(
  db: string,
  fn: (users: OfficeUsers) => Promise<T>,
  options: { readonly issuer?: string; readonly clock?: () => Date } = {},
): Promise<T> {
  const fileLock = databaseTarget(db).provider === 'sqlite' ? lockDatabase(db) : undefined;
  try {
    await migrateDatabase(db);
    const storage = await openStorage(db, createLogger('silent'));
    try {
      return await fn(
        new OfficeUsers({
          store: storage.repository.officeUsers,
          audit: offlineAuditWriter(storage),
          clock: options.clock ?? (() => new Date()),
          issuer: options.issuer ?? 'Wahlkoffer',
        }),
      );
    } finally {
      await storage.close();
    }
  } finally {
    fileLock?.release();
  }
}
