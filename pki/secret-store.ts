import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { PkiError, orFail } from './error.ts';

/**
 * The server's store of TOTP secrets (one per station). TOTP secrets cannot be hashed — the
 * verifier needs them in clear — so they are encrypted at rest with AES-256-GCM under the
 * secret-store key (`<pki>/server/secret-store.key`, 32 random bytes, mode 0600; an HSM or KMS
 * later). The precinct id is the additional authenticated data, so a ciphertext copied to
 * another precinct's slot does not decrypt. The kit never holds the TOTP secret.
 */
export const STATION_SECRET_FORMAT = 'wahlkoffer.station-secret/1' as const;

export const StationSecretSchema = z.strictObject({
  format: z.literal(STATION_SECRET_FORMAT),
  precinctId: z.string(),
  iv: z.string(),
  ciphertext: z.string(),
  tag: z.string(),
});
export type StationSecret = z.infer<typeof StationSecretSchema>;

const aad = (precinctId: string) => Buffer.from(`${STATION_SECRET_FORMAT}\0${precinctId}`, 'utf8');

export function encryptStationSecret(
  totpSecret: string,
  key: Buffer,
  precinctId: string,
): StationSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(precinctId));
  const ciphertext = Buffer.concat([cipher.update(totpSecret, 'utf8'), cipher.final()]);
  return {
    format: STATION_SECRET_FORMAT,
    precinctId,
    iv: iv.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

/** Decrypts one station's TOTP secret (Base32, as otplib expects it). */
export function decryptStationSecret(stored: unknown, key: Buffer, precinctId: string): string {
  const s = orFail('STORE_MALFORMED', () => StationSecretSchema.parse(stored));
  if (s.precinctId !== precinctId) throw new PkiError('KEY_DECRYPTION_FAILED', 'precinct mismatch');
  return orFail('KEY_DECRYPTION_FAILED', () => {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(s.iv, 'base64'));
    decipher.setAAD(aad(precinctId));
    decipher.setAuthTag(Buffer.from(s.tag, 'base64'));
    return Buffer.concat([
      decipher.update(Buffer.from(s.ciphertext, 'base64')),
      decipher.final(),
    ]).toString('utf8');
  });
}
