import type { KeyObject } from 'node:crypto';
import { signSignedData, type CertificateInfo } from '../../pki/index.ts';

/**
 * manifest.p7s: a detached CMS SignedData over the manifest's bytes by the publication key, with
 * the publication certificate and the issuing CA inside (docs/publication.md, decisions/0082).
 */
export function signManifest(
  signer: { readonly key: KeyObject; readonly chain: readonly CertificateInfo[] },
  content: Uint8Array,
  signingTime: Date,
): Buffer {
  const [certificate, ...chain] = signer.chain;
  if (certificate === undefined) throw new TypeError('the publication chain is empty');
  return signSignedData({
    content,
    key: signer.key,
    certificate,
    chain,
    signingTime,
    detached: true,
  });
}
