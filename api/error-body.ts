import type { LocalizedMessage } from '../election/index.ts';

/**
 * The body of every refusal: `{ error: { code, message, messageEn, requestId, …details } }` with
 * `message` in German (kits, office) and `messageEn` in English (decisions/0034). Details are
 * `findings`, `retryAfterSeconds`, `acceptedRevision` or `issues`, depending on the code.
 */
export type ErrorBody = {
  error: {
    code: string;
    message: string;
    messageEn: string;
    requestId: string;
    [detail: string]: unknown;
  };
};

export function errorBody(
  code: string,
  messages: LocalizedMessage,
  requestId: string,
  details: Readonly<Record<string, unknown>> = {},
): ErrorBody {
  return {
    error: { code, message: messages.de, messageEn: messages.en, requestId, ...details },
  };
}
