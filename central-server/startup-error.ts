import { BaseError, ElectionError, type LocalizedMessage } from '../election/index.ts';
import { PkiError } from '../pki/index.ts';
import { DatabaseInUse } from './storage/database-lock.ts';

export type StartupErrorCode =
  | 'PORT_IN_USE'
  | 'PORT_FORBIDDEN'
  | 'ADDRESS_UNAVAILABLE'
  | 'DATABASE_IN_USE'
  | 'DATABASE_UNUSABLE'
  | 'INSTALLATION_MISMATCH'
  | 'PKI_UNUSABLE'
  | 'TLS_UNAVAILABLE'
  | 'ELECTION_UNUSABLE';

/**
 * Why the server could not start, with what to do, in German and English. Expected failures
 * (the port taken, the database held by another server, a missing file) become one of these;
 * the CLI prints the messages as one line and exits non-zero.
 */
export class StartupError extends BaseError<StartupErrorCode> {
  constructor(
    code: StartupErrorCode,
    readonly messages: LocalizedMessage,
    options?: { cause?: unknown },
  ) {
    super(code, messages.en, options);
  }
}

export type StartupContext = {
  readonly host: string;
  readonly port: number;
  readonly db: string;
  readonly pkiDir: string;
  readonly electionFile: string;
};

const firstLine = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();

function listenError(code: string, c: StartupContext, cause: unknown): StartupError | undefined {
  const at = `${c.host}:${c.port}`;
  switch (code) {
    case 'EADDRINUSE':
      return new StartupError(
        'PORT_IN_USE',
        {
          de: `Port ${at} ist schon belegt – läuft der Server schon? Den anderen Prozess beenden oder mit --port einen freien Port wählen.`,
          en: `port ${at} is already in use – is the server already running? Stop the other process or choose a free port with --port.`,
        },
        { cause },
      );
    case 'EACCES':
      return new StartupError(
        'PORT_FORBIDDEN',
        {
          de: `Port ${at} darf dieser Benutzer nicht öffnen (Ports unter 1024 brauchen Rechte). Einen Port ab 1024 wählen oder nginx davor setzen.`,
          en: `this user may not open port ${at} (ports below 1024 need privileges). Choose a port from 1024 up or put nginx in front.`,
        },
        { cause },
      );
    case 'EADDRNOTAVAIL':
      return new StartupError(
        'ADDRESS_UNAVAILABLE',
        {
          de: `Die Adresse ${c.host} gehört nicht zu diesem Rechner. --host prüfen.`,
          en: `the address ${c.host} does not belong to this machine. Check --host.`,
        },
        { cause },
      );
    default:
      return undefined;
  }
}

/**
 * Maps what went wrong at start to a StartupError naming the setting to check. `stage` says
 * which step failed, so a failure inside the database layer is not mistaken for a PKI problem.
 */
export function startupError(
  error: unknown,
  stage: 'election' | 'pki' | 'database' | 'listen',
  c: StartupContext,
): unknown {
  if (error instanceof StartupError) return error;
  if (error instanceof DatabaseInUse) {
    return new StartupError(
      'DATABASE_IN_USE',
      {
        de: `Die Datenbank ${c.db} wird schon von einem anderen Wahlkoffer-Server benutzt (Sperre ${error.file}). Erst den anderen Server beenden.`,
        en: `the database ${c.db} is already used by another Wahlkoffer server (lock ${error.file}). Stop the other server first.`,
      },
      { cause: error },
    );
  }
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (stage === 'listen') return listenError(code, c, error) ?? error;
  if (stage === 'pki' || error instanceof PkiError) {
    const de =
      error instanceof PkiError ? error.messages.de : 'Das PKI-Verzeichnis ist nicht lesbar.';
    return new StartupError(
      'PKI_UNUSABLE',
      {
        de: `PKI-Verzeichnis ${c.pkiDir}: ${de} --pki prüfen (${firstLine(error)}).`,
        en: `PKI directory ${c.pkiDir}: ${firstLine(error)}. Check --pki.`,
      },
      { cause: error },
    );
  }
  if (stage === 'election') {
    const detail =
      error instanceof ElectionError
        ? error.issues.map((i) => i.code).join(', ')
        : firstLine(error);
    return new StartupError(
      'ELECTION_UNUSABLE',
      {
        de: `Die Wahldefinition ${c.electionFile} ist nicht lesbar oder ungültig (${detail}). --election prüfen.`,
        en: `the election definition ${c.electionFile} cannot be read or is invalid (${detail}). Check --election.`,
      },
      { cause: error },
    );
  }
  return new StartupError(
    'DATABASE_UNUSABLE',
    {
      de: `Die Datenbank ${c.db} lässt sich nicht öffnen oder einrichten (${firstLine(error)}). Pfad und Rechte prüfen (--db).`,
      en: `the database ${c.db} cannot be opened or set up (${firstLine(error)}). Check the path and its permissions (--db).`,
    },
    { cause: error },
  );
}
