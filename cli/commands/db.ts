import { Option, type Command } from 'commander';
import {
  DatabaseInUse,
  lockDatabase,
  migrateDatabase,
  redactDatabase,
} from '../../central-server/index.ts';
import { CliError } from '../cli-error.ts';

/** A migration under a running server would change the schema beneath it: take its lock. */
function holdLock(db: string) {
  try {
    return lockDatabase(db);
  } catch (error) {
    if (!(error instanceof DatabaseInUse)) throw error;
    throw new CliError(
      'FAILED',
      {
        de: `Die Datenbank ${db} wird von einem laufenden Server benutzt; erst den Server beenden.`,
        en: `the database ${db} is in use by a running server; stop the server first.`,
      },
      1,
      { cause: error },
    );
  }
}

/** `wahlkoffer db migrate --db <file>` (also `npm run db:migrate -- --db <file>`). */
export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('central server database');
  db.command('migrate')
    .description(
      'apply the committed migrations (prisma/migrations, prisma/postgresql/migrations) without the Prisma engine binary',
    )
    .addOption(
      new Option('--db <path|url>', 'SQLite database file or PostgreSQL URL')
        .env('WAHLKOFFER_DB')
        .default('./wahlkoffer.db'),
    )
    .action(async (flags: { db: string }) => {
      // PostgreSQL: the schema engine's own advisory lock keeps concurrent migrations apart
      const lock = /^postgres(ql)?:/i.test(flags.db) ? undefined : holdLock(flags.db);
      const shown = redactDatabase(flags.db);
      const applied = await migrateDatabase(flags.db)
        .finally(() => lock?.release())
        .catch((error: unknown) => {
          const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
          throw new CliError(
            'FAILED',
            {
              de: `Die Migration von ${shown} ist fehlgeschlagen: ${message}`,
              en: `migration of ${shown} failed: ${message}`,
            },
            1,
            { cause: error },
          );
        });
      process.stdout.write(
        applied.length === 0
          ? `${shown}: aktuell / up to date\n`
          : `${shown}: eingespielt / applied ${applied.join(', ')}\n`,
      );
    });
}
