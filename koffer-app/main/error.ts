import { BaseError, type LocalizedMessage } from '../../election/index.ts';
import { KIT_MESSAGES, type KitErrorCode } from '../shared/index.ts';

export type KitErrorDetails = Readonly<Record<string, string | number | boolean>>;

/** A refusal of the kit's main process, with the German and English message of its code. */
export class KitError extends BaseError<KitErrorCode> {
  readonly messages: LocalizedMessage;
  readonly details: KitErrorDetails | undefined;

  constructor(
    code: KitErrorCode,
    detail?: string,
    options?: { cause?: unknown; details?: KitErrorDetails },
  ) {
    const messages = KIT_MESSAGES[code];
    super(code, detail === undefined ? messages.en : `${messages.en} (${detail})`, options);
    this.messages = messages;
    this.details = options?.details;
  }
}
