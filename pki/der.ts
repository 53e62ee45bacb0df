/**
 * A minimal, strict DER reader (X.690 §10) for the one CMS profile Wahlkoffer accepts.
 * Why not the ASN.1 schema library on the hot path: @peculiar/asn1-schema needs ~3.3 ms to
 * parse and re-encode one report's SignedData on this machine (asn1js builds a full object
 * tree), which alone would cap the server at ~300 reports/s per core. This reader walks the
 * bytes once. It refuses everything DER forbids: indefinite lengths, non-minimal lengths,
 * high tag numbers, and trailing bytes. (cms.ts builds the SignedData directly in DER too; tests
 * check that @peculiar/asn1-cms, node-forge and openssl read what it builds.)
 */
export type Tlv = {
  readonly tag: number;
  /** offset of the tag byte */
  readonly start: number;
  /** offset of the first content byte */
  readonly contentStart: number;
  /** offset after the last content byte */
  readonly end: number;
};

export class DerError extends Error {}

export function readTlv(buf: Uint8Array, offset: number, limit: number): Tlv {
  if (offset + 2 > limit) throw new DerError('truncated');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag number form');
  const first = buf[offset + 1]!;
  let length: number;
  let header = 2;
  if (first < 0x80) {
    length = first;
  } else {
    const count = first & 0x7f;
    if (count === 0 || count > 3) throw new DerError('indefinite or oversized length');
    if (offset + 2 + count > limit) throw new DerError('truncated length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[offset + 2 + i]!;
    if (buf[offset + 2] === 0 || length < 0x80) throw new DerError('non-minimal length');
    header += count;
  }
  const end = offset + header + length;
  if (end > limit) throw new DerError('truncated content');
  return { tag, start: offset, contentStart: offset + header, end };
}

/** The whole of `buf` must be exactly one TLV with this tag. */
export function readRoot(buf: Uint8Array, tag: number): Tlv {
  const tlv = readTlv(buf, 0, buf.length);
  if (tlv.tag !== tag) throw new DerError(`expected tag 0x${tag.toString(16)}`);
  if (tlv.end !== buf.length) throw new DerError('trailing bytes');
  return tlv;
}

/** The children of a constructed TLV, which must fill it exactly. */
export function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  if ((parent.tag & 0x20) === 0) throw new DerError('primitive value has no children');
  const out: Tlv[] = [];
  for (let at = parent.contentStart; at < parent.end;) {
    const child = readTlv(buf, at, parent.end);
    out.push(child);
    at = child.end;
  }
  return out;
}

/** Children with exactly the given tags, in order (undefined = any tag). */
export function expectChildren(
  buf: Uint8Array,
  parent: Tlv,
  tags: readonly (number | undefined)[],
): Tlv[] {
  const list = children(buf, parent);
  if (list.length !== tags.length)
    throw new DerError(`expected ${tags.length} elements, got ${list.length}`);
  list.forEach((t, i) => {
    const want = tags[i];
    if (want !== undefined && t.tag !== want)
      throw new DerError(`element ${i}: tag 0x${t.tag.toString(16)}`);
  });
  return list;
}

export function content(buf: Uint8Array, tlv: Tlv): Buffer {
  return Buffer.from(buf.buffer, buf.byteOffset + tlv.contentStart, tlv.end - tlv.contentStart);
}

export function whole(buf: Uint8Array, tlv: Tlv): Buffer {
  return Buffer.from(buf.buffer, buf.byteOffset + tlv.start, tlv.end - tlv.start);
}

export const TAG = {
  INTEGER: 0x02,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTC_TIME: 0x17,
  SEQUENCE: 0x30,
  SET: 0x31,
  CONTEXT_0: 0xa0,
} as const;

/** Encodes one TLV with a minimal definite length (the writer side of this module). */
export function tlv(tag: number, ...parts: readonly Uint8Array[]): Buffer {
  const body = Buffer.concat(parts);
  const n = body.length;
  let header: number[];
  if (n < 0x80) header = [tag, n];
  else if (n < 0x100) header = [tag, 0x81, n];
  else if (n < 0x10000) header = [tag, 0x82, n >> 8, n & 0xff];
  else header = [tag, 0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from(header), body]);
}
