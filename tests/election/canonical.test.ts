import { describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalJson } from '../../election/index.ts';
import { cityReport } from './fixtures.ts';

describe('canonical JSON (RFC 8785)', () => {
  it('matches the example of RFC 8785 §3.2.3 (sorting, numbers, string escaping)', () => {
    // the input exactly as RFC 8785 prints it (JSON text, parsed like any received document)
    const input: unknown = JSON.parse(String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`);
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('gives the same bytes for the same Schnellmeldung whatever the key order', () => {
    const t = cityReport();
    const reordered = Object.fromEntries(Object.entries(t).reverse());
    reordered.counts = Object.fromEntries(Object.entries(t.counts).reverse());
    expect(Buffer.from(canonicalBytes(reordered)).equals(Buffer.from(canonicalBytes(t)))).toBe(
      true,
    );
  });

  it('refuses a value without a JSON representation', () => {
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });
});
