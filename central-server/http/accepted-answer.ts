import type { ReportAccepted } from '../../api/index.ts';
import type { AcceptedAnswer } from '../intake/types.ts';

/** The answer to an accepted report as api's `ReportAccepted` (for `res.json`). */
export function acceptedJson(answer: AcceptedAnswer): ReportAccepted {
  const { receiptText: text } = answer;
  return {
    status: 'ACCEPTED',
    sequence: answer.sequence,
    receipt: Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('latin1'),
    receiptCode: answer.receiptCode,
    revision: answer.revision,
  };
}

/**
 * The same answer as its JSON bytes, exactly `JSON.stringify(acceptedJson(answer))`, written
 * around the receipt's text without making a string of it: the receipt (a JWS with its
 * certificate chain, ~5 KB as base64) was the largest allocation per report on the main thread,
 * as a base64 string, again inside the JSON text and again in the answer's text with its headers
 * (decision 0055, s8). Base64 needs no escaping in JSON; the code is escaped by JSON.stringify.
 */
export function acceptedBody(answer: AcceptedAnswer): Buffer {
  const { receiptText: text } = answer;
  const head = `{"status":"ACCEPTED","sequence":${JSON.stringify(answer.sequence)},"receipt":"`;
  const tail = `","receiptCode":${JSON.stringify(answer.receiptCode)},"revision":${JSON.stringify(answer.revision)}}`;
  const tailLength = Buffer.byteLength(tail);
  const body = Buffer.allocUnsafe(head.length + text.byteLength + tailLength);
  body.write(head, 0, 'latin1');
  body.set(text, head.length);
  body.write(tail, head.length + text.byteLength, tailLength, 'utf8');
  return body;
}
