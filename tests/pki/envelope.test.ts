import { generateKeyPairSync } from 'node:crypto';
import { CompactEncrypt, compactDecrypt } from 'jose';
import { describe, expect, it } from 'vitest';
import { decryptEnvelope, encryptEnvelope, keyId, MELDUNG_FORMAT } from '../../pki/envelope.ts';

const recipient = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const plaintext = Buffer.from('0\u0082 any DER bytes of a SignedData', 'latin1');

describe('the JWE envelope', () => {
  it('is readable by jose (an independent JOSE implementation) with the plain key', async () => {
    const envelope = JSON.parse(
      Buffer.from(await encryptEnvelope(plaintext, recipient.publicKey)).toString(),
    ) as {
      jwe: string;
    };
    const { plaintext: out, protectedHeader } = await compactDecrypt(
      envelope.jwe,
      recipient.privateKey,
    );
    expect(Buffer.from(out)).toEqual(plaintext);
    expect(protectedHeader.kid).toBe(await keyId(recipient.publicKey));
  });

  it('opens what jose encrypts (our node:crypto decryption follows RFC 7518 §4.6)', async () => {
    const jwe = await new CompactEncrypt(plaintext)
      .setProtectedHeader({
        alg: 'ECDH-ES',
        enc: 'A256GCM',
        typ: MELDUNG_FORMAT,
        kid: await keyId(recipient.publicKey),
      })
      .encrypt(recipient.publicKey);
    const envelope = Buffer.from(JSON.stringify({ format: MELDUNG_FORMAT, jwe }));
    expect(Buffer.from(await decryptEnvelope(envelope, recipient.privateKey))).toEqual(plaintext);
  });

  it('refuses extra header fields such as a key-wrapping algorithm or compression', async () => {
    const jwe = await new CompactEncrypt(plaintext)
      .setProtectedHeader({
        alg: 'ECDH-ES',
        enc: 'A256GCM',
        typ: MELDUNG_FORMAT,
        kid: await keyId(recipient.publicKey),
        cty: 'x',
      })
      .encrypt(recipient.publicKey);
    const envelope = Buffer.from(JSON.stringify({ format: MELDUNG_FORMAT, jwe }));
    await expect(decryptEnvelope(envelope, recipient.privateKey)).rejects.toMatchObject({
      code: 'ENVELOPE_MALFORMED',
    });
  });

  it('refuses an ephemeral key that is not a P-256 point', async () => {
    const real = JSON.parse(
      Buffer.from(await encryptEnvelope(plaintext, recipient.publicKey)).toString(),
    ) as {
      format: string;
      jwe: string;
    };
    const [h, ...rest] = real.jwe.split('.');
    const header = JSON.parse(Buffer.from(h!, 'base64url').toString()) as { epk: { x: string } };
    header.epk.x = Buffer.alloc(32, 1).toString('base64url');
    const forged = [Buffer.from(JSON.stringify(header)).toString('base64url'), ...rest].join('.');
    const envelope = Buffer.from(JSON.stringify({ ...real, jwe: forged }));
    await expect(decryptEnvelope(envelope, recipient.privateKey)).rejects.toMatchObject({
      code: 'DECRYPTION_FAILED',
    });
  });
});
