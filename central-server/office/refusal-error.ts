import { BaseError, type LocalizedMessage } from '../../election/index.ts';

/** One refusal of a catalogue: the HTTP status and the German and English message. */
export type Refusal = LocalizedMessage & { readonly status: number };

/**
 * A refusal from a catalogue of coded refusals (the dashboard's log-in, its actions): the code,
 * its status and message from the catalogue, and details that travel to the client. Where the
 * details carry a localised `reason` (e.g. the four-eyes rule that refused an entry), the message
 * to show is the refusal's own followed by that reason. Services throw it; only routes know HTTP.
 */
export class CatalogueRefusal<Code extends string> extends BaseError<Code> {
  readonly details: Readonly<Record<string, unknown>>;
  /** not an own enumerable property: a logged error shows its code and details, not the catalogue */
  readonly #catalogue: Readonly<Record<Code, Refusal>>;

  constructor(
    catalogue: Readonly<Record<Code, Refusal>>,
    code: Code,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(code, catalogue[code].en, options);
    this.#catalogue = catalogue;
    this.details = details;
  }

  get status(): number {
    return this.#catalogue[this.code].status;
  }

  get localized(): LocalizedMessage {
    const { de, en } = this.#catalogue[this.code];
    const reason = this.details['reason'] as LocalizedMessage | undefined;
    if (reason === undefined) return { de, en };
    return { de: `${de} ${reason.de}`, en: `${en} ${reason.en}` };
  }
}
