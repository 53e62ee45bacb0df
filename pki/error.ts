import { BaseError, type LocalizedMessage } from '../election/index.ts';

/**
 * Every way the PKI can refuse something, as a stable code. The server maps these to HTTP
 * statuses, the kit shows the German message, the auditor CLI prints the English one.
 * Tests assert codes, never messages.
 */
export const PKI_MESSAGES = {
  ENVELOPE_MALFORMED: {
    de: 'Die versiegelte Meldung ist nicht lesbar (Format verletzt).',
    en: 'The sealed report is not readable (malformed envelope).',
  },
  ENVELOPE_TOO_LARGE: {
    de: 'Die versiegelte Meldung ist zu groß.',
    en: 'The sealed report exceeds the size limit.',
  },
  ENVELOPE_WRONG_PURPOSE: {
    de: 'Die Datei ist keine Schnellmeldung dieser Version.',
    en: 'The envelope has the wrong purpose or version tag.',
  },
  WRONG_RECIPIENT: {
    de: 'Die Meldung ist für einen anderen Server-Schlüssel verschlüsselt.',
    en: 'The report is encrypted to another server key.',
  },
  DECRYPTION_FAILED: {
    de: 'Die Meldung lässt sich nicht entschlüsseln (verändert oder beschädigt).',
    en: 'The report cannot be decrypted (altered or corrupt).',
  },
  SIGNED_DATA_MALFORMED: {
    de: 'Die Signatur-Struktur (CMS) der Meldung ist fehlerhaft.',
    en: 'The CMS SignedData structure is malformed.',
  },
  SIGNATURE_INVALID: {
    de: 'Die Signatur ist ungültig.',
    en: 'The signature does not verify.',
  },
  DIGEST_MISMATCH: {
    de: 'Der signierte Inhalt wurde verändert (Prüfsumme stimmt nicht).',
    en: 'The signed content does not match its message digest.',
  },
  SIGNING_TIME_INVALID: {
    de: 'Der Signaturzeitpunkt fehlt oder liegt in der Zukunft.',
    en: 'The signing time is missing or lies in the future.',
  },
  CERT_MALFORMED: {
    de: 'Ein Zertifikat ist fehlerhaft.',
    en: 'A certificate is malformed.',
  },
  CERT_EXPIRED: {
    de: 'Das Zertifikat ist abgelaufen.',
    en: 'The certificate has expired.',
  },
  CERT_NOT_YET_VALID: {
    de: 'Das Zertifikat ist noch nicht gültig.',
    en: 'The certificate is not yet valid.',
  },
  CERT_UNTRUSTED: {
    de: 'Das Zertifikat stammt nicht von der Wahl-Zertifizierungsstelle.',
    en: 'The certificate does not chain to the election root CA.',
  },
  CERT_REVOKED: {
    de: 'Das Zertifikat dieses Wahlkoffers ist gesperrt.',
    en: 'The certificate has been revoked.',
  },
  CERT_WRONG_USAGE: {
    de: 'Das Zertifikat ist für diesen Zweck nicht zugelassen.',
    en: 'The certificate is not allowed for this purpose (key usage / EKU).',
  },
  CERT_WRONG_ELECTION: {
    de: 'Das Zertifikat gehört zu einer anderen Wahl.',
    en: 'The certificate belongs to another election.',
  },
  CERT_WRONG_PRECINCT: {
    de: 'Das Zertifikat gehört zu einem anderen Stimmbezirk.',
    en: 'The certificate belongs to another precinct.',
  },
  CRL_INVALID: {
    de: 'Die Sperrliste ist ungültig oder nicht von der Wahl-CA signiert.',
    en: 'The CRL is invalid or not signed by the election CA.',
  },
  CRL_EXPIRED: {
    de: 'Die Sperrliste ist veraltet.',
    en: 'The CRL is past its next-update time.',
  },
  CRL_NOT_NEWER: {
    de: 'Die Sperrliste ist nicht neuer als die geltende (Sperrlistennummer steigt nicht).',
    en: 'The CRL is not newer than the one in force (its CRL number does not increase).',
  },
  TALLY_MALFORMED: {
    de: 'Der Inhalt ist keine gültige Schnellmeldung.',
    en: 'The signed content is not a well-formed Schnellmeldung.',
  },
  KEY_DECRYPTION_FAILED: {
    de: 'Falsche Passphrase oder beschädigter Schlüssel.',
    en: 'Wrong passphrase or corrupt key file.',
  },
  KEY_FILE_MALFORMED: {
    de: 'Die Schlüsseldatei ist fehlerhaft.',
    en: 'The key file is malformed.',
  },
  PASSPHRASE_MALFORMED: {
    de: 'Die Passphrase hat nicht das erwartete Format (Wörter mit Leerzeichen oder Bindestrich).',
    en: 'The passphrase is not in the expected format (words separated by spaces or hyphens).',
  },
  BUNDLE_MALFORMED: {
    de: 'Die Einrichtungsdatei ist nicht lesbar.',
    en: 'The provisioning bundle is malformed.',
  },
  BUNDLE_SIGNATURE_INVALID: {
    de: 'Die Einrichtungsdatei wurde verändert oder stammt nicht vom Wahlamt.',
    en: 'The provisioning bundle was altered or is not signed by the election office.',
  },
  RECEIPT_MALFORMED: {
    de: 'Die Empfangsbestätigung ist nicht lesbar.',
    en: 'The receipt is malformed.',
  },
  RECEIPT_SIGNATURE_INVALID: {
    de: 'Die Empfangsbestätigung ist nicht vom Wahlamt signiert.',
    en: 'The receipt signature does not verify.',
  },
  SESSION_PROOF_INVALID: {
    de: 'Der Anmeldenachweis des Wahlkoffers ist ungültig.',
    en: 'The station proof of possession is invalid.',
  },
  STORE_MALFORMED: {
    de: 'Das PKI-Verzeichnis ist unvollständig oder fehlerhaft.',
    en: 'The PKI directory is incomplete or malformed.',
  },
  SECRET_FILE_EXPOSED: {
    de: 'Eine geheime Datei ist für andere Benutzer lesbar. Bitte mit chmod 600 nur für den Eigentümer freigeben.',
    en: 'A secret file is readable by other users; restrict it to its owner (chmod 600).',
  },
  STORE_EXISTS: {
    de: 'Das PKI-Verzeichnis existiert bereits.',
    en: 'The PKI directory already exists.',
  },
  ALREADY_ISSUED: {
    de: 'Der Stimmbezirk hat schon ein gültiges Zertifikat; ein neues sperrt den ausgegebenen Wahlkoffer und wird nur ausdrücklich ausgestellt (--reissue).',
    en: 'The precinct already holds a valid certificate; a new one locks out the kit already handed over and is issued only on explicit request (--reissue).',
  },
  UNKNOWN_PRECINCT: {
    de: 'Unbekannter Stimmbezirk.',
    en: 'Unknown precinct.',
  },
  UNKNOWN_SERIAL: {
    de: 'Unbekannte Zertifikats-Seriennummer.',
    en: 'Unknown certificate serial number.',
  },
} as const satisfies Record<string, LocalizedMessage>;

export type PkiErrorCode = keyof typeof PKI_MESSAGES;

export class PkiError extends BaseError<PkiErrorCode> {
  readonly messages: LocalizedMessage;

  constructor(code: PkiErrorCode, detail?: string, options?: { cause?: unknown }) {
    const messages = PKI_MESSAGES[code];
    super(code, detail === undefined ? messages.en : `${messages.en} (${detail})`, options);
    this.messages = messages;
  }
}

/** Runs `fn`; any exception that is not already a PkiError becomes one with `code`. */
export function orFail<T>(code: PkiErrorCode, fn: () => T, detail?: string): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof PkiError) throw error;
    throw new PkiError(code, detail ?? describe(error), { cause: error });
  }
}

export async function orFailAsync<T>(
  code: PkiErrorCode,
  fn: () => Promise<T>,
  detail?: string,
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof PkiError) throw error;
    throw new PkiError(code, detail ?? describe(error), { cause: error });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
