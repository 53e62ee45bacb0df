/**
 * HTML built by a tagged template that escapes every interpolation: the dashboard's one way to
 * write markup, so a station name, a refusal reason or a user name can never become markup
 * (the CSP forbids inline script anyway; this keeps forms and links intact too).
 */

const SAFE = Symbol('SafeHtml');

/** Markup that is already safe: made by `html` or `raw`. */
export type SafeHtml = { readonly [SAFE]: true; readonly text: string };

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for an element's content and for a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c);
}

/** Marks trusted markup (a constant of the code, never user input) as safe. */
export function raw(text: string): SafeHtml {
  return { [SAFE]: true, text };
}

export function isSafeHtml(value: unknown): value is SafeHtml {
  return typeof value === 'object' && value !== null && SAFE in value;
}

/** An interpolated value: SafeHtml as is, arrays joined, null/undefined/false as nothing. */
export type HtmlValue =
  SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function part(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(part).join('');
  if (isSafeHtml(value)) return value.text;
  return escapeHtml(String(value));
}

/** `html\`<p>${name}</p>\`` — every `${…}` escaped unless it is SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let text = strings[0] ?? '';
  for (let i = 0; i < values.length; i += 1) {
    text += part(values[i] as HtmlValue) + (strings[i + 1] ?? '');
  }
  return raw(text);
}
