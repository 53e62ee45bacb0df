import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { Option, type Command } from 'commander';
import QRCode from 'qrcode';
import {
  DatabaseInUse,
  OFFICE_ROLES,
  OfficeAuthError,
  PASSWORD_MIN_LENGTH,
  redactDatabase,
  withOfficeUsers,
  type Enrolment,
  type OfficeUsers,
} from '../../central-server/index.ts';
import { CliError } from '../cli-error.ts';
import { readSecretFile } from './pki-io.ts';

const PASSWORD_FILE = { de: 'Die Passwortdatei', en: 'password file' };
const ACTOR = { name: process.env['USER'] ?? 'cli', via: 'cli' } as const;

/** The users' coded refusals as a command's exit: 2 for bad input, 1 otherwise. */
function cliError(error: unknown, db: string): unknown {
  if (error instanceof DatabaseInUse) {
    return new CliError(
      'FAILED',
      {
        de: `Die Datenbank ${db} wird von einem laufenden Server benutzt. Benutzer vor dem Start anlegen (oder den Server kurz beenden); sperren geht auch im Dashboard unter /office/users.`,
        en: `the database ${db} is in use by a running server. Add users before the start (or stop the server briefly); disabling also works in the dashboard at /office/users.`,
      },
      1,
      { cause: error },
    );
  }
  if (!(error instanceof OfficeAuthError)) return error;
  const input = error.status === 400;
  return new CliError(input ? 'USAGE' : 'FAILED', error.localized, input ? 2 : 1, {
    cause: error,
  });
}

async function run<T>(db: string, fn: (users: OfficeUsers) => Promise<T>): Promise<T> {
  return withOfficeUsers(db, fn).catch((error: unknown) => {
    throw cliError(error, redactDatabase(db));
  });
}

/** Asks once on the terminal without echo. */
function ask(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

/** The password: from an owner-only file, or typed twice without echo. */
async function password(file: string | undefined): Promise<string> {
  if (file !== undefined) return readSecretFile(file, PASSWORD_FILE);
  if (process.stdin.isTTY !== true) {
    throw new CliError(
      'USAGE',
      {
        de: 'Ohne Terminal bitte --password-file <datei> angeben (nur für den Besitzer lesbar).',
        en: 'without a terminal, give --password-file <file> (readable by its owner only).',
      },
      2,
    );
  }
  const first = await ask(`Passwort / password (min. ${PASSWORD_MIN_LENGTH}): `);
  const second = await ask('Noch einmal / again: ');
  if (first !== second) {
    throw new CliError(
      'USAGE',
      { de: 'Die beiden Eingaben sind verschieden.', en: 'the two entries differ.' },
      2,
    );
  }
  return first;
}

async function printEnrolment(enrolment: Enrolment, qr: boolean): Promise<void> {
  const { user } = enrolment;
  const lines = [
    `Benutzer angelegt / user added: ${user.name} (${user.role})`,
    `TOTP-Geheimnis / TOTP secret: ${enrolment.totpSecret}`,
    `otpauth-URI: ${enrolment.otpauthUri}`,
    'In die Authenticator-App übernehmen (QR-Code oder Geheimnis); danach diese Ausgabe löschen. / Add to the authenticator app (QR code or secret); then clear this output.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (qr) {
    process.stdout.write(
      await QRCode.toString(enrolment.otpauthUri, { type: 'terminal', small: true }),
    );
  }
}

const dbOption = () =>
  new Option('--db <path|url>', 'SQLite database file or PostgreSQL URL')
    .env('WAHLKOFFER_DB')
    .default('./wahlkoffer.db');

/** `wahlkoffer users add|list|disable`: the office dashboard's users (decisions/0085). */
export function registerUsersCommands(program: Command): void {
  const users = program.command('users').description('users of the office dashboard (/office)');
  users
    .command('add')
    .description(
      'add a user: password (file or prompt) and a new TOTP secret for the authenticator app',
    )
    .addOption(dbOption())
    .requiredOption('--name <name>', 'user name (lower-case letters, digits, . - _)')
    .addOption(
      new Option('--role <role>', 'admin, operator or auditor')
        .choices(OFFICE_ROLES)
        .makeOptionMandatory(),
    )
    .option(
      '--password-file <file>',
      `password from a file readable by its owner only (min. ${PASSWORD_MIN_LENGTH} characters); else a prompt`,
    )
    .option('--no-qr', 'do not print the QR code')
    .action(
      async (flags: {
        db: string;
        name: string;
        role: string;
        passwordFile?: string;
        qr: boolean;
      }) => {
        const secret = await password(flags.passwordFile);
        const enrolment = await run(flags.db, (u) =>
          u.add({ name: flags.name, role: flags.role, password: secret, actor: ACTOR }),
        );
        await printEnrolment(enrolment, flags.qr && process.stdout.isTTY === true);
      },
    );
  users
    .command('list')
    .description('list the users, their roles and states')
    .addOption(dbOption())
    .option('--json', 'one JSON document')
    .action(async (flags: { db: string; json?: boolean }) => {
      const list = await run(flags.db, (u) => u.list());
      if (flags.json === true) {
        process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      if (list.length === 0) {
        process.stdout.write('keine Benutzer / no users\n');
        return;
      }
      for (const u of list) {
        const state = u.disabledAt !== null ? 'gesperrt/disabled' : 'aktiv/active';
        process.stdout.write(`${u.name.padEnd(24)} ${u.role.padEnd(9)} ${state}\n`);
      }
    });
  users
    .command('disable')
    .description('disable a user: no more log-ins, their sessions end')
    .addOption(dbOption())
    .requiredOption('--name <name>', 'user name')
    .action(async (flags: { db: string; name: string }) => {
      const user = await run(flags.db, (u) => u.disable({ name: flags.name, actor: ACTOR }));
      process.stdout.write(`gesperrt / disabled: ${user.name} (${user.role})\n`);
    });
}
