import canonicalize from 'canonicalize';
import fc from 'fast-check';
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

/** The reference: the package's answer, or the name of the error it throws. */
function reference(value: unknown): string {
  try {
    const text = canonicalize(value);
    return text === undefined ? 'TypeError' : text;
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

function ours(value: unknown): string {
  try {
    return canonicalJson(value);
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

/** Keys as our documents have them, and the hard ones: integer-like, non-ASCII, surrogates. */
const key = fc.oneof(
  fc.constantFrom(
    'A',
    'A1',
    'B',
    'D10',
    'D2',
    'format',
    'revision',
    '10',
    '9',
    '-1',
    '',
    '__proto__x',
  ),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
);
const number = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, 1e21, 1e-7, 5e-324, Number.MAX_SAFE_INTEGER, Number('333333333.33333329')),
);
const text = fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }));
const { json } = fc.letrec((tie) => ({
  json: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    number,
    text,
    fc.array(tie('json')),
    fc.dictionary(key, tie('json')),
  ),
}));

describe('canonical JSON against the canonicalize package (the reference)', () => {
  it('gives the same text, or the same refusal, for any JSON-like value', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(ours(value)).toBe(reference(value));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the same text for the documents the server canonicalizes on every report', () => {
    const t = cityReport();
    const withAck = {
      ...t,
      revision: 2,
      correctionReason: 'Stapel neu gezählt',
      acknowledgements: [{ code: 'W.201', reason: 'geprüft — „ok“ 😀' }],
    };
    for (const value of [t, withAck, { ...t, correctionReason: undefined }]) {
      expect(canonicalJson(value)).toBe(reference(value));
    }
  });

  it('leaves what is not plain data to the package: dates, undefined, holes, cycles, depth', () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100; i += 1) deep = { d: [deep] };
    const oddities: unknown[] = [
      new Date('2026-12-07T12:00:00Z'),
      { at: new Date(0), n: [undefined, 1] },
      [1, , 3], // eslint-disable-line no-sparse-arrays
      { a: undefined, b: Symbol('s'), c: 1 },
      Object.assign(Object.create(null) as object, { z: 1, a: 2 }),
      { toJSON: () => ({ b: 1, a: 2 }) },
      new Uint8Array([3, 1, 2]),
      '\ud800 lone',
      { ['\udc00']: 1 },
      'paired 😀',
      NaN,
      [Infinity],
      cycle,
      deep,
    ];
    for (const value of oddities) expect(ours(value)).toBe(reference(value));
  });
});
