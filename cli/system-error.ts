import type { LocalizedMessage } from '../election/error.ts';

/** What went wrong, without the path: "no such file or directory". */
const REASONS: Record<string, LocalizedMessage> = {
  ENOENT: { de: 'Datei oder Ordner nicht gefunden', en: 'no such file or directory' },
  EACCES: { de: 'keine Berechtigung', en: 'permission denied' },
  EPERM: { de: 'nicht erlaubt', en: 'operation not permitted' },
  EEXIST: { de: 'existiert bereits', en: 'already exists' },
  EISDIR: { de: 'ist ein Ordner, keine Datei', en: 'is a directory, not a file' },
  ENOTDIR: { de: 'ein Teil des Pfads ist kein Ordner', en: 'a component of the path is not a directory' },
  ENOSPC: { de: 'kein Platz mehr auf dem Datenträger', en: 'no space left on the device' },
  EROFS: { de: 'das Dateisystem ist schreibgeschützt', en: 'read-only file system' },
  EMFILE: { de: 'zu viele offene Dateien', en: 'too many open files' },
};

/**
 * Node's file-system errors (an ENOENT, EACCES, … with the path involved) as one bilingual
 * line, so that an expected failure — a missing folder, a full disk — never ends a command with
 * a stack trace. `withPath: false` leaves the path out (the caller names the file already).
 * Anything else is not described (undefined).
 */
export function describeSystemError(
  error: unknown,
  options: { withPath?: boolean } = {},
): LocalizedMessage | undefined {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') return;
  const reason = REASONS[error.code];
  if (reason === undefined) return undefined;
  const path = 'path' in error && typeof error.path === 'string' ? error.path : undefined;
  if (options.withPath === false || path === undefined) {
    return { de: `${reason.de}.`, en: `${reason.en}.` };
  }
  return { de: `${path}: ${reason.de}.`, en: `${path}: ${reason.en}.` };
}
