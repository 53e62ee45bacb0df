import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../election/index.ts';
import { toCertificate } from '../../pki/certificate.ts';
import {
  RECEIPT_FORMAT,
  ReceiptLogSchema,
  ReceiptSchema,
  receiptCode,
  receiptSigner,
  signReceipt,
  verifyReceipt,
  type ReceiptFields,
} from '../../pki/index.ts';
import { codeOf, receiptTexts } from '../../pki/receipt-payload.ts';
import { createTestPki, type TestPki } from './fixtures.ts';

/*
 * The receipt's texts are written directly (pki/receipt-payload.ts); these hold them to what they
 * were made from before: `canonicalJson` of the schema's output, and the code from a BigInt over
 * the hash — so every receipt keeps its bytes, and every code its value.
 */

/** The receipt code as it was computed before: the generic canonical JSON, 40 bits as a BigInt. */
function referenceCode(fields: ReceiptFields): string {
  const { log: _l, ...rest } = fields;
  const hash = createHash('sha256')
    .update(canonicalJson({ ...rest, format: RECEIPT_FORMAT }), 'utf8')
    .digest();
  let bits = 0n;
  for (let i = 0; i < 5; i++) bits = (bits << 8n) | BigInt(hash[i]!);
  let out = '';
  const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  for (let i = 7; i >= 0; i--) out += crockford[Number((bits >> BigInt(i * 5)) & 31n)];
  return `${out.slice(0, 4)}-${out.slice(4)}`;
}

/** The JWS payload as it was made before: the schema's output, canonicalised. */
const referencePayload = (fields: ReceiptFields, code: string) =>
  canonicalJson(ReceiptSchema.parse({ ...fields, format: RECEIPT_FORMAT, receiptCode: code }));

/** A receipt's fields without a log entry, for the examples below. */
const plainFields: ReceiptFields = {
  electionId: 'e',
  precinctId: 'p-1',
  contestId: 'ob',
  revision: 1,
  envelopeHash: 'a'.repeat(64),
  contentHash: 'b'.repeat(64),
  serverTime: '2026-03-08T18:31:02.123Z',
  sequence: 7,
};

const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);
const hex64 = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((b) => Buffer.from(b).toString('hex'));
const proofHash = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((b) => Buffer.from(b).toString('base64'));
const time = fc
  .date({
    min: new Date('2000-01-01T00:00:00Z'),
    max: new Date('2099-12-31T23:59:59Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString());
/** a signed note's text: lines, the em dash of its signature line, quotes, any Unicode */
const note = fc
  .tuple(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }),
    fc.constantFrom('', '"', '\\'),
  )
  .map(([text, odd]) => `wahlkoffer.example/log\n42\n${text}${odd}\n\n\u2014 origin AbC=\n`);
const log = fc.record(
  {
    index: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    proof: fc.array(proofHash, { maxLength: 63 }),
    checkpoint: note,
    signedDataHash: hex64,
  },
  { requiredKeys: ['index', 'proof', 'checkpoint'] },
);
const fieldsArb: fc.Arbitrary<ReceiptFields> = fc.record(
  {
    electionId: id,
    precinctId: id,
    contestId: id,
    revision: fc.integer({ min: 1, max: 999 }),
    envelopeHash: hex64,
    contentHash: hex64,
    serverTime: time,
    sequence: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    log,
  },
  {
    requiredKeys: [
      'electionId',
      'precinctId',
      'contestId',
      'revision',
      'envelopeHash',
      'contentHash',
      'serverTime',
      'sequence',
    ],
  },
);

describe('a receipt written directly (without the schema and the generic canonical JSON)', () => {
  it('has the canonical text and the code it had before, for any valid fields', () => {
    fc.assert(
      fc.property(fieldsArb, (fields) => {
        const texts = receiptTexts(fields);
        const code = referenceCode(fields);
        expect(codeOf(texts.codeText)).toBe(code);
        expect(receiptCode(fields)).toBe(code);
        expect(texts.payload(code)).toBe(referencePayload(fields, code));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes every key the schema has (a new one must be added to pki/receipt-payload.ts)', () => {
    expect(Object.keys(ReceiptSchema.shape).sort()).toEqual([
      'contentHash',
      'contestId',
      'electionId',
      'envelopeHash',
      'format',
      'log',
      'precinctId',
      'receiptCode',
      'revision',
      'sequence',
      'serverTime',
    ]);
    expect(Object.keys(ReceiptLogSchema.shape).sort()).toEqual([
      'checkpoint',
      'index',
      'proof',
      'signedDataHash',
    ]);
  });

  it('leaves out a log or a SignedData hash that is there but undefined, as canonical JSON does', () => {
    const fields = plainFields;
    const withUndefined = { ...fields, log: undefined };
    const code = referenceCode(fields);
    expect(receiptTexts(withUndefined).payload(code)).toBe(referencePayload(fields, code));
    const logged = {
      ...fields,
      log: { index: 6, proof: ['A'.repeat(43) + '='], checkpoint: 'n', signedDataHash: undefined },
    };
    expect(receiptTexts(logged).payload(code)).toBe(referencePayload(logged, code));
  });
});

describe('a receipt from the server signer', () => {
  let pki: TestPki;
  let dir: string;
  beforeAll(async () => {
    pki = await createTestPki(new Date('2026-03-08T18:30:00Z'));
    dir = mkdtempSync(join(tmpdir(), 'wahlkoffer-receipt-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const chain = () => [pki.receipt.certificate, pki.issuing.certificate];

  it('is the JWS of before: the same header and payload, a P-256 signature over them', () => {
    const sign = receiptSigner(pki.receipt.key, chain());
    const b64url = (s: string) => Buffer.from(s).toString('base64url');
    const header = b64url(
      JSON.stringify({
        alg: 'ES256',
        typ: RECEIPT_FORMAT,
        x5c: chain().map((c) => toCertificate(c).der.toString('base64')),
      }),
    );
    fc.assert(
      fc.property(fieldsArb, (fields) => {
        const { receipt, receiptCode: code } = sign(fields);
        expect(code).toBe(referenceCode(fields));
        const [h, p, s] = Buffer.from(receipt).toString('latin1').split('.');
        expect(h).toBe(header);
        expect(p).toBe(b64url(referencePayload(fields, code)));
        expect(Buffer.from(s!, 'base64url')).toHaveLength(64);
        // its own memory, exactly the receipt (it is transferred between threads)
        expect(Object.getPrototypeOf(receipt)).toBe(Uint8Array.prototype);
        expect(receipt.byteOffset).toBe(0);
        expect(receipt.buffer.byteLength).toBe(receipt.byteLength);
      }),
      { numRuns: 200 },
    );
  });

  it('verifies with the kit’s check and with openssl, as an auditor checks it', () => {
    const fields: ReceiptFields = {
      ...plainFields,
      electionId: pki.trust.electionId,
      revision: 2,
      sequence: 4711,
      log: {
        index: 4710,
        proof: ['A'.repeat(43) + '='],
        checkpoint: 'note\n\u2014 x\n',
        signedDataHash: 'c'.repeat(64),
      },
    };
    const { receipt } = receiptSigner(pki.receipt.key, chain())(fields);
    expect(verifyReceipt(receipt, pki.trust, pki.now, pki.crl)).toEqual({
      ...fields,
      format: RECEIPT_FORMAT,
      receiptCode: referenceCode(fields),
    });
    const [h, p, s] = Buffer.from(receipt).toString('latin1').split('.') as [
      string,
      string,
      string,
    ];
    const raw = Buffer.from(s, 'base64url');
    writeFileSync(join(dir, 'input'), `${h}.${p}`);
    writeFileSync(join(dir, 'signature.der'), p1363ToDer(raw));
    // the key of the certificate the receipt names first in its header (x5c)
    const { x5c } = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { x5c: string[] };
    const certificate = new X509Certificate(Buffer.from(x5c[0]!, 'base64'));
    writeFileSync(
      join(dir, 'receipt-key.pem'),
      certificate.publicKey.export({ type: 'spki', format: 'pem' }),
    );
    const out = execFileSync('openssl', [
      'dgst',
      '-sha256',
      '-verify',
      join(dir, 'receipt-key.pem'),
      '-signature',
      join(dir, 'signature.der'),
      join(dir, 'input'),
    ]).toString();
    expect(out.trim()).toBe('Verified OK');
  });

  it('one at a time (signReceipt) refuses fields the schema refuses', () => {
    const bad = { ...plainFields, precinctId: 'p 1' };
    expect(() => signReceipt(bad, pki.receipt.key, chain())).toThrow();
  });
});

/** An IEEE P1363 r‖s signature as the DER SEQUENCE of two INTEGERs openssl reads. */
function p1363ToDer(raw: Buffer): Buffer {
  const integer = (b: Buffer) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = b.subarray(i);
    const body = v[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v;
    return Buffer.concat([Buffer.from([0x02, body.length]), body]);
  };
  const half = raw.length / 2;
  const seq = Buffer.concat([integer(raw.subarray(0, half)), integer(raw.subarray(half))]);
  return Buffer.concat([Buffer.from([0x30, seq.length]), seq]);
}
