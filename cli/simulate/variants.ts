import type { Schnellmeldung } from '../../election/index.ts';

/** The reason a simulated Wahlvorstand gives for its correction (3–500 characters, SPEC §4). */
export const CORRECTION_REASON =
  'Zahlendreher bei den Bewerberstimmen beim Übertrag aus der Niederschrift korrigiert';

const CANDIDATE_KEY = /^D[1-9][0-9]?$/;

/**
 * The wrong first report of a correction: a few votes moved from the strongest candidate to
 * another one (a transposition while copying from the paper record). The sums stay equal, so
 * the wrong report passes every hard rule — as such mistakes do in reality — and the move is
 * about 1 % of B, below the "large change" warning threshold, so the correction needs no
 * acknowledgement.
 */
export function withTransposition(tally: Schnellmeldung): Schnellmeldung {
  const candidates = Object.entries(tally.counts)
    .filter(([key]) => CANDIDATE_KEY.test(key))
    .sort(([, a], [, b]) => b - a);
  const strongest = candidates[0];
  const other = candidates[candidates.length - 1];
  if (strongest === undefined || other === undefined || strongest[0] === other[0]) return tally;
  const b = tally.counts.B ?? 0;
  const moved = Math.min(strongest[1], Math.max(1, Math.min(3, Math.floor(b * 0.01))));
  return {
    ...tally,
    counts: { ...tally.counts, [strongest[0]]: strongest[1] - moved, [other[0]]: other[1] + moved },
  };
}

/** The correction: the true counts as the next revision, with the written reason. */
export function asCorrection(truth: Schnellmeldung): Schnellmeldung {
  return { ...truth, revision: truth.revision + 1, correctionReason: CORRECTION_REASON };
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function flipCharAt(text: string, index: number): string {
  const c = text[index] ?? 'A';
  const at = BASE64URL.indexOf(c);
  const replacement = BASE64URL[(at + 1) % BASE64URL.length] ?? 'A';
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

/**
 * One character of the envelope changed in transit: in the middle of the JWE ciphertext (not at
 * a segment's end, where base64url padding bits could make the change a no-op), so the
 * AES-GCM tag check must fail. For an envelope of another shape, the middle of the text.
 */
export function tamperEnvelope(envelope: string): string {
  try {
    const parsed: unknown = JSON.parse(envelope);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'jwe' in parsed &&
      typeof parsed.jwe === 'string'
    ) {
      const segments = parsed.jwe.split('.');
      const ciphertext = segments[3];
      if (segments.length === 5 && ciphertext !== undefined && ciphertext.length > 4) {
        segments[3] = flipCharAt(ciphertext, Math.floor(ciphertext.length / 2));
        return JSON.stringify({ ...parsed, jwe: segments.join('.') });
      }
    }
  } catch {
    // not JSON: fall through to the generic change
  }
  return flipCharAt(envelope, Math.floor(envelope.length / 2));
}
