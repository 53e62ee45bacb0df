import { OfficeActionError } from '../../actions/index.ts';
import type { LocalizedMessage } from '../../../../election/index.ts';
import { t, type MessageKey } from './messages.ts';
import type { Refusal } from './phone-view.ts';

/** A refusal of the pages themselves (a form the services never saw), with its HTTP status. */
export type PageRefusal = Refusal & {
  readonly status: number;
  readonly fields?: readonly string[];
};

export function pageRefusal(
  code: string,
  status: number,
  key: MessageKey,
  values: Record<string, string> = {},
  fields?: readonly string[],
): PageRefusal {
  const message: LocalizedMessage = { de: t('de', key, values), en: t('en', key, values) };
  return { code, status, message, ...(fields === undefined ? {} : { fields }) };
}

/**
 * A service's refusal as the page shows it: the underlying code where there is one (the
 * four-eyes machine's ENTRY_INCOMPLETE rather than PHONE_ENTRY_REFUSED), the refusal's message
 * followed by the reason, and the fields to mark. Anything that is not an OfficeActionError is
 * no refusal and is rethrown (the error handler answers 500 and logs it).
 */
export function fromServiceError(error: unknown): PageRefusal {
  if (!(error instanceof OfficeActionError)) throw error;
  const inner = error.details['code'];
  const fields = error.details['fields'];
  return {
    code: typeof inner === 'string' ? inner : error.code,
    status: error.status,
    message: error.localized,
    ...(Array.isArray(fields) ? { fields: fields.map(String) } : {}),
  };
}

export const FORM_INVALID = (): PageRefusal => pageRefusal('FORM_INVALID', 400, 'formInvalid');
