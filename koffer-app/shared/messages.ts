import type { LocalizedMessage } from '../../election/index.ts';

/**
 * The kit's own refusal codes with their German and English messages. Codes of the PKI
 * (BUNDLE_SIGNATURE_INVALID, CERT_EXPIRED, …) and of the HTTP contract travel through IPC
 * unchanged with their own messages; main maps every error to `{code, message, messages}`.
 * The German text speaks to a poll worker: what happened and what to do.
 */
export const KIT_MESSAGES = {
  IPC_UNKNOWN_CHANNEL: {
    de: 'Interner Fehler: unbekannte Anfrage an den Wahlkoffer.',
    en: 'Unknown IPC channel.',
  },
  IPC_INVALID_REQUEST: {
    de: 'Interner Fehler: die Anfrage an den Wahlkoffer war fehlerhaft.',
    en: 'The IPC request does not match its schema.',
  },
  IPC_INVALID_REPLY: {
    de: 'Interner Fehler: die Antwort des Wahlkoffers war fehlerhaft.',
    en: 'The IPC reply does not match its schema.',
  },
  IPC_SENDER_REFUSED: {
    de: 'Diese Anfrage kommt nicht aus der Wahlkoffer-Anwendung und wurde abgelehnt.',
    en: 'The IPC request did not come from the kit application and was refused.',
  },
  INTERNAL: {
    de: 'Unerwarteter Fehler im Wahlkoffer. Bitte das Wahlamt anrufen.',
    en: 'Unexpected internal error in the kit.',
  },
  NOT_PROVISIONED: {
    de: 'Der Wahlkoffer ist noch nicht eingerichtet. Bitte zuerst die Einrichtungsdatei laden.',
    en: 'The kit is not provisioned yet: load the provisioning bundle first.',
  },
  ALREADY_PROVISIONED: {
    de: 'Der Wahlkoffer ist bereits für einen Stimmbezirk eingerichtet.',
    en: 'The kit is already provisioned for a precinct.',
  },
  BUNDLE_NOT_FOUND: {
    de: 'Die Einrichtungsdatei wurde nicht gefunden. Ist der USB-Stick eingesteckt?',
    en: 'The provisioning bundle was not found (is the USB stick plugged in?).',
  },
  BUNDLE_EXPIRED: {
    de: 'Die Einrichtungsdatei ist abgelaufen. Bitte beim Wahlamt eine neue anfordern.',
    en: 'The provisioning bundle has expired; ask the election office for a new one.',
  },
  BUNDLE_FOREIGN: {
    de: 'Die Einrichtungsdatei gehört zu einer anderen Wahl oder einem anderen Wahlamt.',
    en: 'The provisioning bundle belongs to another election or election office.',
  },
  ROOT_FINGERPRINT_MALFORMED: {
    de: 'Der Fingerabdruck muss aus 64 Zeichen 0–9 und A–F bestehen (wie im Brief gedruckt).',
    en: 'The fingerprint must be 64 hexadecimal characters, as printed on the letter.',
  },
  ROOT_FINGERPRINT_MISMATCH: {
    de: 'Der Fingerabdruck stimmt nicht mit dem Brief überein. Die Datei nicht verwenden und das Wahlamt anrufen.',
    en: 'The root fingerprint does not match the letter: do not use this bundle, call the election office.',
  },
  KIT_LOCKED: {
    de: 'Der Wahlkoffer ist gesperrt. Bitte zuerst mit der Passphrase entsperren.',
    en: 'The kit is locked: unlock it with the station passphrase first.',
  },
  WRONG_PASSPHRASE: {
    de: 'Die Passphrase ist falsch. Bitte genau wie im Brief eingeben (fünf Wörter).',
    en: 'Wrong passphrase. Enter it exactly as on the letter (five words).',
  },
  UNLOCK_LOCKED_OUT: {
    de: 'Zu viele falsche Versuche. Bitte warten, bis die angezeigte Zeit abgelaufen ist.',
    en: 'Too many wrong attempts: wait until the lock-out time has passed.',
  },
  TOTP_MALFORMED: {
    de: 'Der Code muss aus sechs Ziffern bestehen.',
    en: 'The code must be six digits.',
  },
  SESSION_REQUIRED: {
    de: 'Der Wahlkoffer ist nicht beim Wahlamt angemeldet. Bitte mit dem Code der Wahlvorsteherin / des Wahlvorstehers anmelden.',
    en: 'No session with the election office: sign in with the Wahlvorsteher’s code.',
  },
  NETWORK_UNAVAILABLE: {
    de: 'Keine Verbindung zum Wahlamt. Der Wahlkoffer versucht es selbständig weiter.',
    en: 'The election office cannot be reached; the kit keeps trying.',
  },
  SERVER_REFUSED: {
    de: 'Das Wahlamt hat die Anfrage abgelehnt.',
    en: 'The election office refused the request.',
  },
  NOT_READY_TO_SIGN: {
    de: 'Die Meldung kann noch nicht unterschrieben werden: die Erfassung ist nicht abgeschlossen.',
    en: 'The report cannot be signed yet: the data entry is not complete.',
  },
  REVISION_ALREADY_SEALED: {
    de: 'Für diese Revision wurde bereits eine andere Meldung versiegelt. Eine Berichtigung braucht eine neue Revision.',
    en: 'A different report was already sealed for this revision; a correction needs a new revision.',
  },
  OUTBOX_ITEM_UNKNOWN: {
    de: 'Diese Meldung ist im Postausgang nicht vorhanden.',
    en: 'No such report in the outbox.',
  },
  OUTBOX_CORRUPT: {
    de: 'Eine Meldung im Postausgang ist beschädigt. Bitte das Wahlamt anrufen.',
    en: 'An outbox entry is corrupt.',
  },
  RECEIPT_REJECTED: {
    de: 'Die Empfangsbestätigung passt nicht zu dieser Meldung und wurde nicht angenommen.',
    en: 'The receipt does not match this report and was not accepted.',
  },
  NO_RECEIPT_YET: {
    de: 'Für diese Meldung liegt noch keine Empfangsbestätigung vor.',
    en: 'This report has no receipt yet.',
  },
  PRINT_FAILED: {
    de: 'Das Drucken ist fehlgeschlagen. Bitte Drucker prüfen und erneut versuchen.',
    en: 'Printing failed.',
  },
  ENTRY_STATE_CORRUPT: {
    de: 'Die gespeicherte Erfassung ist beschädigt.',
    en: 'The saved data entry is corrupt.',
  },
} as const satisfies Record<string, LocalizedMessage>;

export type KitErrorCode = keyof typeof KIT_MESSAGES;
