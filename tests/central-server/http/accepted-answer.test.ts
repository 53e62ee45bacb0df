import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReportAcceptedSchema } from '../../../api/index.ts';
import { acceptedBody, acceptedJson } from '../../../central-server/http/accepted-answer.ts';
import { receiptText } from '../../../central-server/intake/receipt-text.ts';

const answers = fc.record({
  sequence: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  revision: fc.integer({ min: 1, max: 1_000_000 }),
  // the server's codes are ASCII; any text must still come out as JSON.stringify writes it
  receiptCode: fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constant('AB"\\\n€')),
  receipt: fc.uint8Array({ maxLength: 6000 }),
  created: fc.boolean(),
});

describe('the answer to an accepted report', () => {
  it('is written as bytes exactly as JSON.stringify writes the API answer', () => {
    fc.assert(
      fc.property(answers, ({ receipt, ...rest }) => {
        const answer = { ...rest, receiptText: receiptText(receipt) };
        const json = acceptedJson(answer);
        expect(acceptedBody(answer).equals(Buffer.from(JSON.stringify(json), 'utf8'))).toBe(true);
        expect(ReportAcceptedSchema.parse(json)).toEqual({
          status: 'ACCEPTED',
          sequence: rest.sequence,
          receipt: Buffer.from(receipt).toString('base64'),
          receiptCode: rest.receiptCode,
          revision: rest.revision,
        });
      }),
      { numRuns: 500 },
    );
  });

  it("carries the receipt's base64 text in memory of its own, so a thread can hand it over", () => {
    // a short Buffer.from(…) would be a view into node's shared pool: transferring it would take
    // the pool away from everything else in the thread
    const text = receiptText(new TextEncoder().encode('eyJhbGciOiJFUzI1NiJ9.e30.c2ln'));
    expect(text.byteOffset).toBe(0);
    expect(text.byteLength).toBe(text.buffer.byteLength);
    expect(Buffer.from(text).toString('latin1')).toBe(
      Buffer.from('eyJhbGciOiJFUzI1NiJ9.e30.c2ln').toString('base64'),
    );
  });
});
