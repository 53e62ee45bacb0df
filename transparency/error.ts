import { BaseError, type LocalizedMessage } from '../election/index.ts';

/**
 * Every way the transparency log can refuse a proof, a checkpoint or a note, as a stable code.
 * The kit shows the German message, the auditor CLI prints the English one; tests assert codes.
 */
export const TRANSPARENCY_MESSAGES = {
  RANGE_INVALID: {
    de: 'Position oder Baumgröße liegt außerhalb des Protokolls.',
    en: 'The leaf index or tree size lies outside the log.',
  },
  PROOF_MALFORMED: {
    de: 'Der Nachweis ist fehlerhaft aufgebaut.',
    en: 'The proof is malformed (hash length or sizes).',
  },
  INCLUSION_PROOF_INVALID: {
    de: 'Der Aufnahmenachweis passt nicht zum signierten Protokollstand.',
    en: 'The inclusion proof does not lead to the signed root.',
  },
  CONSISTENCY_PROOF_INVALID: {
    de: 'Der neuere Protokollstand ist keine Fortschreibung des älteren.',
    en: 'The consistency proof does not link the two tree heads.',
  },
  NOTE_MALFORMED: {
    de: 'Der signierte Protokollstand ist nicht lesbar.',
    en: 'The signed note is malformed.',
  },
  NOTE_SIGNATURE_INVALID: {
    de: 'Die Signatur des Protokollstands ist ungültig.',
    en: 'A signature by a known key on the note does not verify.',
  },
  NOTE_UNVERIFIED: {
    de: 'Der Protokollstand trägt keine Signatur des Wahlamts.',
    en: 'The note carries no signature by a known key.',
  },
  CHECKPOINT_MALFORMED: {
    de: 'Der Protokollstand (Checkpoint) ist fehlerhaft.',
    en: 'The checkpoint text is malformed.',
  },
  CHECKPOINT_WRONG_ORIGIN: {
    de: 'Der Protokollstand gehört zu einem anderen Protokoll.',
    en: 'The checkpoint names another log (origin).',
  },
  KEY_MALFORMED: {
    de: 'Der Prüfschlüssel des Protokolls ist fehlerhaft.',
    en: 'The note verifier key is malformed.',
  },
} as const satisfies Record<string, LocalizedMessage>;

export type TransparencyErrorCode = keyof typeof TRANSPARENCY_MESSAGES;

export class TransparencyError extends BaseError<TransparencyErrorCode> {
  readonly messages: LocalizedMessage;

  constructor(code: TransparencyErrorCode, detail?: string, options?: { cause?: unknown }) {
    const messages = TRANSPARENCY_MESSAGES[code];
    super(code, detail === undefined ? messages.en : `${messages.en} (${detail})`, options);
    this.messages = messages;
  }
}
