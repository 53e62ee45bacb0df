import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Request bodies are never logged; redaction is a second line of defence for
 * anything that still carries a secret (tokens, TOTP codes, keys, passphrases, envelope contents).
 */
export const REDACT_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.authorization',
  'token',
  '*.token',
  'totp',
  '*.totp',
  'passphrase',
  '*.passphrase',
  'secret',
  '*.secret',
  'totpSecret',
  '*.totpSecret',
  'privateKey',
  '*.privateKey',
  'jwe',
  '*.jwe',
  'body',
  '*.body',
  'signature',
  '*.signature',
  'challenge',
  '*.challenge',
];

/** Logs go to stderr by default, so stdout carries only the `listening on …` line. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'wahlkoffer-server' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination({ dest: 2, sync: false }),
  );
}
