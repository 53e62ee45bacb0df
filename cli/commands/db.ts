import { Option, type Command } from 'commander';
import { DatabaseInUse, lockDatabase, migrateDatabase } from '../../central-server/index.ts';
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
      'apply the committed migrations (prisma/migrations) without the Prisma engine binary',
    )
    .addOption(
      new Option('--db <path>', 'SQLite database file')
        .env('WAHLKOFFER_DB')
        .default('./wahlkoffer.db'),
    )
    .action(async (flags: { db: string }) => {
      if (/^postgres(ql)?:\/\//.test(flags.db)) {
        throw new CliError(
          'USAGE',
          {
            de: 'PostgreSQL ist noch nicht angebunden; bitte eine SQLite-Datei angeben.',
            en: 'PostgreSQL is not wired yet; use a SQLite file.',
          },
          2,
        );
      }
      const lock = holdLock(flags.db);
      const applied = await migrateDatabase(flags.db)
        .finally(lock.release)
        .catch((error: unknown) => {
          const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
          throw new CliError(
            'FAILED',
            {
              de: `Die Migration von ${flags.db} ist fehlgeschlagen: ${message}`,
              en: `migration of ${flags.db} failed: ${message}`,
            },
            1,
            { cause: error },
          );
        });
      process.stdout.write(
        applied.length === 0
          ? `${flags.db}: aktuell / up to date\n`
          : `${flags.db}: eingespielt / applied ${applied.join(', ')}\n`,
      );
    });
}
