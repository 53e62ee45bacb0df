import type { LocalizedMessage } from '../election/error.ts';

/** Commander's usage errors (English), each with its German counterpart. */
const PATTERNS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^required option '([^']+)' not specified/, (m) => `Pflichtangabe ${m[1]} fehlt.`],
  [/^unknown option '([^']+)'/, (m) => `Unbekannte Option ${m[1]}.`],
  [/^unknown command '([^']+)'/, (m) => `Unbekannter Befehl ${m[1]}.`],
  [/^missing required argument '([^']+)'/, (m) => `Das Argument ${m[1]} fehlt.`],
  [/^option '([^']+)' argument missing/, (m) => `Die Option ${m[1]} braucht einen Wert.`],
  [/^too many arguments/, () => 'Zu viele Argumente.'],
  [
    /^option '([^']+)' cannot be used with/,
    (m) => `Die Option ${m[1]} passt nicht zu einer anderen.`,
  ],
  [
    /^option '([^']+)' argument '([^']*)' is invalid/,
    (m) => `Ungültiger Wert "${m[2]}" für ${m[1]}.`,
  ],
];

/**
 * Turns the error text commander prints ("error: required option '--dir <dir>' not
 * specified\n(Did you mean …?)") into the CLI's one bilingual line, with the hint to --help.
 */
export function usageMessage(commanderText: string): LocalizedMessage {
  const en = commanderText
    .replace(/^error:\s*/, '')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  const match = PATTERNS.map(([re, de]) => {
    const m = re.exec(en);
    return m === null ? undefined : de(m);
  }).find((de) => de !== undefined);
  return {
    de: `${match ?? 'Der Aufruf ist fehlerhaft.'} Alle Optionen zeigt --help.`,
    en: `${en}${/[.?!)]$/.test(en) ? '' : '.'} See --help for all options.`,
  };
}
