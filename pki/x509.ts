// @peculiar/x509 reads its decorator metadata through reflect-metadata, which must load first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createHash, webcrypto, type KeyObject } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;

x509.cryptoProvider.set(webcrypto as ReturnType<typeof x509.cryptoProvider.get>);

export { x509 };

/** ECDSA P-256 with SHA-256 for every key in the election PKI (docs/crypto.md). */
export const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export async function toSigningCryptoKey(key: KeyObject): Promise<CryptoKey> {
  const der = key.export({ format: 'der', type: 'pkcs8' });
  return webcrypto.subtle.importKey('pkcs8', der, ECDSA_P256, false, ['sign']);
}

/** The one Ed25519 key of the PKI: the log's checkpoint key (C2SP signed notes are Ed25519). */
export const ED25519 = { name: 'Ed25519' } as const;

export async function toPublicCryptoKey(key: KeyObject): Promise<CryptoKey> {
  const der = key.export({ format: 'der', type: 'spki' });
  const algorithm = key.asymmetricKeyType === 'ed25519' ? ED25519 : ECDSA_P256;
  return webcrypto.subtle.importKey('spki', der, algorithm, true, ['verify']);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

/** PEM armour with 64-column lines (RFC 7468). */
export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Every PEM block with the given label, strictly (RFC 7468 base64 only). */
export function fromPemAll(pem: string, label: string): Buffer[] {
  const re = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]*?)-----END ${label}-----`, 'g');
  return [...pem.matchAll(re)].map((m) => Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64'));
}
