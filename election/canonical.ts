import canonicalize from 'canonicalize';

/**
 * Canonical JSON (RFC 8785, JSON Canonicalization Scheme): sorted keys, no whitespace,
 * ECMAScript number formatting, UTF-8. The same value always yields the same bytes, so a
 * Schnellmeldung always signs to the same bytes and its hash identifies it.
 *
 * The `canonicalize` package is the reference. Plain JSON data — what we canonicalize on every
 * report: the tally check, receipts, log leaves, audit events — takes a direct writer with the
 * same output (property-tested against the package in tests/election/canonical.test.ts) at about
 * a third of its cost; anything else (a Date or other `toJSON`, a lone surrogate, NaN, a cycle,
 * nesting deeper than `MAX_DEPTH`) goes to the package as a whole, which formats or refuses it.
 */
export function canonicalJson(value: unknown): string {
  const text = plainCanonical(value, 0) ?? canonicalize(value);
  if (text === undefined) {
    throw new TypeError('value has no JSON representation');
  }
  return text;
}

const encoder = new TextEncoder();

export function canonicalBytes(value: unknown): Uint8Array {
  return encoder.encode(canonicalJson(value));
}

/** Deeper than this (or a cycle) is left to the package. */
const MAX_DEPTH = 64;
/** A UTF-16 surrogate, paired or not: such strings are left to the package's check. */
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * RFC 8785 for plain data (strings without surrogates, finite numbers, booleans, null, arrays,
 * objects whose prototype is Object's or null and that have no `toJSON`); undefined for anything
 * else, so that the caller asks the package. Like the package (and JSON.stringify), an undefined
 * property is left out and an undefined array element is null; keys sort by UTF-16 code units
 * (Array.prototype.sort's default order, as RFC 8785 §3.2.3 requires).
 */
function plainCanonical(value: unknown, depth: number): string | undefined {
  switch (typeof value) {
    case 'string':
      return SURROGATE.test(value) ? undefined : JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (depth >= MAX_DEPTH) return undefined;
      return Array.isArray(value)
        ? plainArray(value as readonly unknown[], depth + 1)
        : plainObject(value, depth + 1);
    default:
      return undefined;
  }
}

function plainArray(list: readonly unknown[], depth: number): string | undefined {
  if (Object.getPrototypeOf(list) !== Array.prototype) return undefined;
  let out = '[';
  for (let i = 0; i < list.length; i += 1) {
    if (!(i in list)) return undefined; // a hole: the package's map() leaves it empty
    const item = list[i];
    const text = item === undefined ? 'null' : plainCanonical(item, depth);
    if (text === undefined) return undefined;
    out += i === 0 ? text : `,${text}`;
  }
  return `${out}]`;
}

function plainObject(object: object, depth: number): string | undefined {
  const prototype: unknown = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) return undefined;
  const record = object as Readonly<Record<string, unknown>>;
  if (typeof record.toJSON === 'function') return undefined;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    if (SURROGATE.test(key)) return undefined;
    const text = plainCanonical(item, depth);
    if (text === undefined) return undefined;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${text}`;
    first = false;
  }
  return `${out}}`;
}
