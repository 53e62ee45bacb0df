import type { LocalizedMessage } from '../error.ts';

export type Severity = 'error' | 'warning';

/** F.nnn = error (blocks sending), W.nnn = warning (needs a written reason). Abacus numbering style. */
export type RuleCode = `F.${number}` | `W.${number}`;

/**
 * One result of the plausibility rules. `fields` are paths into the Schnellmeldung
 * (`counts.D3`, `correctionReason`) so a form can highlight exactly the inputs concerned.
 * `message` is the rule's fixed text (what is wrong and what to do); `detail` adds the figures.
 */
export type Finding = {
  readonly code: RuleCode;
  readonly severity: Severity;
  readonly message: LocalizedMessage;
  readonly fields: readonly string[];
  readonly detail?: LocalizedMessage;
};

export function countField(key: string): string {
  return `counts.${key}`;
}
