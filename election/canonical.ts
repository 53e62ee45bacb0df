import canonicalize from 'canonicalize';

/**
 * Canonical JSON (RFC 8785, JSON Canonicalization Scheme): sorted keys, no whitespace,
 * ECMAScript number formatting, UTF-8. The same value always yields the same bytes, so a
 * Schnellmeldung always signs to the same bytes and its hash identifies it.
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) {
    throw new TypeError('value has no JSON representation');
  }
  return text;
}

const encoder = new TextEncoder();

export function canonicalBytes(value: unknown): Uint8Array {
  return encoder.encode(canonicalJson(value));
}
