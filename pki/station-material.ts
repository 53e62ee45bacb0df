import { createPublicKey, type KeyObject } from 'node:crypto';
import type { ElectionDefinition } from '../election/index.ts';
import { openBundle, type OpenedBundle } from './bundle.ts';
import type { CertificateInfo } from './certificate.ts';
import type { Trust } from './chain.ts';
import type { Crl } from './crl.ts';
import { PkiError } from './error.ts';
import { decryptPrivateKey } from './key-encryption.ts';
import { normalisePassphrase } from './passphrase.ts';
import { checkpointKeyFromBundle } from './log-key.ts';
import type { NoteKey } from '../transparency/index.ts';

/** What a kit (or the simulator) holds after unlocking its bundle. */
export type StationMaterial = {
  readonly electionId: string;
  readonly precinctId: string;
  readonly election: ElectionDefinition;
  readonly stationKey: KeyObject;
  readonly stationCertificate: CertificateInfo;
  /** the issuing CA (goes into every SignedData) */
  readonly chain: readonly CertificateInfo[];
  readonly recipientCertificate: CertificateInfo;
  readonly receiptCertificate: CertificateInfo;
  readonly tlsCertificate: CertificateInfo;
  readonly serverUrl: string;
  readonly rootCaPem: string;
  readonly trust: Trust;
  readonly crl: Crl;
  /** the verified bundle itself (content, certificates, trust, CRL) */
  readonly bundle: OpenedBundle;
  /** the transparency log's checkpoint key, pinned from the bundle (decisions/0092) */
  readonly checkpointKey: NoteKey;
};

/**
 * Opens a provisioning bundle (signature, chain, usages — see openBundle) and unlocks the
 * station key with the passphrase from the letter. Wrong passphrase: KEY_DECRYPTION_FAILED;
 * a passphrase that cannot be one (wrong word count): PASSPHRASE_MALFORMED.
 */
export async function loadStationBundle(
  bundleBytes: Uint8Array,
  passphrase: string,
  opts: { rootCaPem?: string; now: Date },
): Promise<StationMaterial> {
  const bundle = openBundle(bundleBytes, opts.rootCaPem, opts.now);
  const stationKey = await decryptPrivateKey(
    bundle.content.station.encryptedKey,
    normalisePassphrase(passphrase),
  );
  const fromKey = createPublicKey(stationKey).export({ format: 'der', type: 'spki' });
  const fromCert = bundle.station.publicKey.export({ format: 'der', type: 'spki' });
  if (!fromKey.equals(fromCert))
    throw new PkiError('BUNDLE_MALFORMED', 'key does not match certificate');
  return {
    electionId: bundle.content.electionId,
    precinctId: bundle.content.precinctId,
    election: bundle.election,
    stationKey,
    stationCertificate: bundle.station,
    chain: [bundle.issuing],
    recipientCertificate: bundle.reportEncryption,
    receiptCertificate: bundle.receiptSigning,
    tlsCertificate: bundle.tls,
    serverUrl: bundle.content.server.url,
    rootCaPem: bundle.content.ca.root,
    trust: bundle.trust,
    crl: bundle.crl,
    bundle,
    checkpointKey: checkpointKeyFromBundle(bundle, opts.now),
  };
}
