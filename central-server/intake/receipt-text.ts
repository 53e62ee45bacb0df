/**
 * The base64 text of a receipt, as ASCII bytes in memory of their own (so they can be
 * transferred to another thread): what the kit is answered with (api `ReportAccepted.receipt`).
 */
export function receiptText(receipt: Uint8Array): Uint8Array {
  const text = Buffer.from(receipt.buffer, receipt.byteOffset, receipt.byteLength).toString(
    'base64',
  );
  // not Buffer.from(text): a short one would be a view into node's shared 8 KB pool
  const bytes = Buffer.allocUnsafeSlow(text.length);
  bytes.write(text, 0, 'latin1');
  return bytes;
}
