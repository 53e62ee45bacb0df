import type { LocalizedMessage } from '../../../election/index.ts';
import { CatalogueRefusal } from '../refusal-error.ts';

/**
 * The refusals of the office's actions (phone confirmation, phoned-in results, revoking and
 * replacing kits): stable codes with an HTTP status and a German and English message. Services
 * throw `OfficeActionError`; only the routes know HTTP.
 */
export const OFFICE_ACTION_REFUSALS = {
  PRECINCT_UNKNOWN: {
    status: 404,
    de: 'Diesen Stimmbezirk gibt es in dieser Wahl nicht.',
    en: 'There is no such district in this election.',
  },
  CONTEST_UNKNOWN: {
    status: 404,
    de: 'In diesem Stimmbezirk wird über diese Wahl nicht abgestimmt.',
    en: 'This district does not vote in this contest.',
  },
  RECEIPT_CODE_MALFORMED: {
    status: 400,
    de: 'Ein Quittungscode hat acht Zeichen, z. B. 7KQ2-M9XD.',
    en: 'A receipt code has eight characters, e.g. 7KQ2-M9XD.',
  },
  NOTHING_TO_CONFIRM: {
    status: 409,
    de: 'Für diesen Stimmbezirk ist noch keine Meldung eingegangen; es gibt nichts zu bestätigen.',
    en: 'No report has arrived for this district yet; there is nothing to confirm.',
  },
  RECEIPT_CODE_MISMATCH: {
    status: 409,
    de: 'Der Quittungscode stimmt mit keiner Meldung dieses Stimmbezirks überein. Code noch einmal vorlesen lassen; stimmt er weiter nicht, die Meldung nicht bestätigen.',
    en: 'The receipt code matches no report of this district. Have it read out again; if it still does not match, do not confirm the report.',
  },
  RECEIPT_CODE_OUTDATED: {
    status: 409,
    de: 'Der Quittungscode gehört zu einer älteren Fassung; gezählt wird eine neuere. Den Code der neuesten Quittung vorlesen lassen.',
    en: 'The receipt code belongs to an older revision; a newer one counts. Ask for the code of the newest receipt.',
  },
  PHONE_ENTRY_NOT_STARTED: {
    status: 409,
    de: 'Für diesen Stimmbezirk wird gerade kein telefonisches Ergebnis erfasst.',
    en: 'No phoned-in result is being entered for this district.',
  },
  PHONE_ENTRY_NOT_YOURS: {
    status: 403,
    de: 'Diese Eingabe gehört einer anderen Person.',
    en: 'This entry belongs to another person.',
  },
  PHONE_ENTRY_REFUSED: {
    status: 409,
    de: 'Die Eingabe wurde nicht übernommen.',
    en: 'The entry was not taken.',
  },
  PHONED_RESULT_REFUSED: {
    status: 409,
    de: 'Das telefonische Ergebnis wurde nicht gezählt.',
    en: 'The phoned-in result was not counted.',
  },
  STORAGE_FAILED: {
    status: 503,
    de: 'Speichern ist fehlgeschlagen; bitte noch einmal versuchen.',
    en: 'Storing failed; please try again.',
  },
  ISSUING_KEY_ABSENT: {
    status: 409,
    de: 'Der Schlüssel der ausstellenden CA liegt nicht auf diesem Rechner. Sperren und Ersetzen mit „wahlkoffer pki revoke/issue“ am PKI-Rechner; der Server übernimmt das Ergebnis von selbst.',
    en: 'The issuing CA key is not on this machine. Revoke and replace with `wahlkoffer pki revoke/issue` on the PKI machine; the server follows the result by itself.',
  },
  CA_PASSPHRASE_WRONG: {
    status: 403,
    de: 'Die CA-Passphrase ist falsch.',
    en: 'The CA passphrase is wrong.',
  },
  PKI_REFUSED: {
    status: 409,
    de: 'Die PKI hat die Aktion abgelehnt.',
    en: 'The PKI refused the action.',
  },
} as const satisfies Record<string, LocalizedMessage & { status: number }>;

export type OfficeActionCode = keyof typeof OFFICE_ACTION_REFUSALS;

export class OfficeActionError extends CatalogueRefusal<OfficeActionCode> {
  constructor(
    code: OfficeActionCode,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(OFFICE_ACTION_REFUSALS, code, details, options);
  }
}
