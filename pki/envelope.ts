import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  CompactEncrypt,
  calculateJwkThumbprint,
  compactDecrypt,
  decodeProtectedHeader,
} from 'jose';
import { z } from 'zod';
import { PkiError, orFail, orFailAsync } from './error.ts';

/**
 * The outer envelope of a sealed report (docs/protocol.md §4): one JSON object
 * `{"format":"wahlkoffer.meldung/1","jwe":"<JWE compact>"}`. The JWE (RFC 7516) uses
 * ECDH-ES (P-256, Concat KDF) for key agreement and A256GCM for the content; its protected
 * header carries `typ: "wahlkoffer.meldung/1"` and `kid` = the RFC 7638 JWK thumbprint of the
 * server's report-encryption key. The plaintext is the DER of the CMS SignedData.
 */
export const MELDUNG_FORMAT = 'wahlkoffer.meldung/1';
/** Default size limit: a Bundestag Schnellmeldung with its certificates is ~4 KiB. */
export const DEFAULT_MAX_ENVELOPE_BYTES = 64 * 1024;

const B64URL = /^[A-Za-z0-9_-]*$/;
const EnvelopeSchema = z.strictObject({
  format: z.string().max(64),
  jwe: z.string().refine((s) => {
    const parts = s.split('.');
    return parts.length === 5 && parts.every((p) => B64URL.test(p));
  }, 'JWE compact serialization'),
});

const kidCache = new WeakMap<KeyObject, string>();

/** RFC 7638 thumbprint of the public half of `key` (private or public KeyObject). */
export async function keyId(key: KeyObject): Promise<string> {
  const cached = kidCache.get(key);
  if (cached !== undefined) return cached;
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = publicKey.export({ format: 'jwk' });
  const kid = await calculateJwkThumbprint(
    { kty: jwk.kty ?? '', crv: jwk.crv ?? '', x: jwk.x ?? '', y: jwk.y ?? '' },
    'sha256',
  );
  kidCache.set(key, kid);
  return kid;
}

export async function encryptEnvelope(
  plaintext: Uint8Array,
  recipientPublicKey: KeyObject,
  format: string = MELDUNG_FORMAT,
): Promise<Uint8Array> {
  const jwe = await new CompactEncrypt(plaintext)
    .setProtectedHeader({
      alg: 'ECDH-ES',
      enc: 'A256GCM',
      typ: format,
      kid: await keyId(recipientPublicKey),
    })
    .encrypt(recipientPublicKey);
  return new TextEncoder().encode(JSON.stringify({ format, jwe }));
}

/** Steps "decode" (size, JSON, purpose tag, header) and "decrypt". */
export async function decryptEnvelope(
  envelope: Uint8Array,
  decryptionKey: KeyObject,
  maxBytes: number = DEFAULT_MAX_ENVELOPE_BYTES,
): Promise<Uint8Array> {
  if (envelope.length > maxBytes) {
    throw new PkiError('ENVELOPE_TOO_LARGE', `${envelope.length} > ${maxBytes} bytes`);
  }
  const parsed = orFail('ENVELOPE_MALFORMED', () => {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(envelope);
    return EnvelopeSchema.parse(JSON.parse(text));
  });
  if (parsed.format !== MELDUNG_FORMAT) {
    throw new PkiError('ENVELOPE_WRONG_PURPOSE', `format ${parsed.format}`);
  }
  const header = orFail('ENVELOPE_MALFORMED', () => decodeProtectedHeader(parsed.jwe));
  if (header.typ !== MELDUNG_FORMAT || header.alg !== 'ECDH-ES' || header.enc !== 'A256GCM') {
    throw new PkiError('ENVELOPE_WRONG_PURPOSE', 'JWE header typ/alg/enc');
  }
  if (header.kid !== (await keyId(decryptionKey))) {
    throw new PkiError('WRONG_RECIPIENT', `kid ${String(header.kid)}`);
  }
  const { plaintext } = await orFailAsync('DECRYPTION_FAILED', () =>
    compactDecrypt(parsed.jwe, decryptionKey, {
      keyManagementAlgorithms: ['ECDH-ES'],
      contentEncryptionAlgorithms: ['A256GCM'],
    }),
  );
  return plaintext;
}
