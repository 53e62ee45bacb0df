import type { Command } from 'commander';
import { migrateDatabase } from '../../central-server/index.ts';
import { CliError } from '../cli-error.ts';

/** `wahlkoffer db migrate --db <file>` (also `npm run db:migrate -- --db <file>`). */
export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('central server database');
  db.command('migrate')
    .description(
      'apply the committed migrations (prisma/migrations) without the Prisma engine binary',
    )
    .option('--db <path>', 'SQLite database file', process.env.WAHLKOFFER_DB ?? './wahlkoffer.db')
    .action(async (flags: { db: string }) => {
      if (/^postgres(ql)?:\/\//.test(flags.db)) {
        throw new CliError('USAGE', 'PostgreSQL is not wired yet; use a SQLite file', 2);
      }
      const applied = await migrateDatabase(flags.db).catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        throw new CliError('FAILED', `migration failed: ${message}`, 1, { cause: error });
      });
      process.stdout.write(
        applied.length === 0
          ? `${flags.db}: up to date\n`
          : `${flags.db}: applied ${applied.join(', ')}\n`,
      );
    });
}
