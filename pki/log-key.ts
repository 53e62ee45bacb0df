import type { KeyObject } from 'node:crypto';
import {
  equalBytes,
  noteKey,
  parseVerifierKey,
  rawEd25519PublicKey,
  type NoteKey,
} from '../transparency/index.ts';
import type { CertificateInfo } from './certificate.ts';
import { verifyCertificate, type Trust } from './chain.ts';
import type { Crl } from './crl.ts';
import { PkiError, orFail } from './error.ts';
import { EKU } from './oids.ts';
import type { OpenedBundle } from './bundle.ts';

/**
 * The transparency log's identity. Its checkpoints (c2sp.org/tlog-checkpoint) are C2SP signed
 * notes under the Ed25519 key the PKI ceremony made for the role `checkpoint-signing`; the
 * key's X.509 certificate binds it to the election root, and `checkpoint.vkey` in the PKI
 * directory gives the same key in the note ecosystem's text form.
 *
 * Origin (= key name): `<host of the server URL>/wahlkoffer/<election id>`, a schema-less URL
 * as the checkpoint specification recommends, fixed at the ceremony.
 */
export function logOrigin(serverUrl: string, electionId: string): string {
  return `${new URL(serverUrl).host}/wahlkoffer/${electionId}`;
}

export const CHECKPOINT_PURPOSE = { keyUsage: 1, extendedKeyUsage: EKU.checkpointSigning } as const;

/**
 * The note key that verifies checkpoints, from the log's certificate: the certificate must
 * chain to the election root with the checkpoint-signing usage, and hold an Ed25519 key.
 */
export function checkpointKeyFromCertificate(
  certificate: CertificateInfo,
  origin: string,
  context: { trust: Trust; intermediates: readonly Uint8Array[]; crl?: Crl; now: Date },
): NoteKey {
  verifyCertificate(certificate, context.intermediates, {
    trust: context.trust,
    crl: context.crl,
    times: [context.now],
    purpose: CHECKPOINT_PURPOSE,
  });
  if (certificate.publicKey.asymmetricKeyType !== 'ed25519') {
    throw new PkiError('CERT_WRONG_USAGE', 'the checkpoint key is not Ed25519');
  }
  return orFail('CERT_MALFORMED', () => noteKey(origin, certificate.publicKey));
}

/** `checkpoint.vkey` must name the same key as the certificate, or one of them was swapped. */
export function checkpointKeyFromText(vkey: string, fromCertificate: NoteKey): NoteKey {
  const key = orFail('STORE_MALFORMED', () => parseVerifierKey(vkey), 'checkpoint.vkey');
  const same = equalBytes(
    rawEd25519PublicKey(key.publicKey),
    rawEd25519PublicKey(fromCertificate.publicKey),
  );
  if (key.name !== fromCertificate.name || !same) {
    throw new PkiError(
      'STORE_MALFORMED',
      'checkpoint.vkey does not match the checkpoint certificate',
    );
  }
  return key;
}

/**
 * The checkpoint key a kit pins: the certificate its provisioning bundle carries, checked
 * against the bundle's root (the root typed from the letter), for the origin of the bundle's
 * server and election. A server can never name another key.
 */
export function checkpointKeyFromBundle(
  bundle: Pick<OpenedBundle, 'checkpointSigning' | 'content' | 'trust' | 'issuing' | 'crl'>,
  now: Date,
): NoteKey {
  return checkpointKeyFromCertificate(
    bundle.checkpointSigning,
    logOrigin(bundle.content.server.url, bundle.content.electionId),
    { trust: bundle.trust, intermediates: [bundle.issuing.der], crl: bundle.crl, now },
  );
}

export type CheckpointSigner = { readonly key: KeyObject; readonly verifier: NoteKey };
