import type { KeyObject } from 'node:crypto';
import type { CertificateInfo } from './certificate.ts';
import { loadServerSigner } from './ceremony.ts';
import { createTrust, type Trust } from './chain.ts';
import { parseCrlPem, type Crl } from './crl.ts';
import {
  checkpointKeyFromCertificate,
  checkpointKeyFromText,
  logOrigin,
  type CheckpointSigner,
} from './log-key.ts';
import { readRegister } from './register.ts';
import { decryptStationSecret } from './secret-store.ts';
import {
  PkiMetaSchema,
  currentStations,
  paths,
  readJson,
  readSecret,
  readText,
  type StationRecord,
} from './store-layout.ts';

/**
 * What the central server loads from `<pki>` at start (it never needs the CA passphrase). Not the
 * PKI's copy of the election definition: the server reads its own (`--election`), and parsing the
 * national one here cost every thread that loads this ~100 MB of short-lived heap (decision 0067).
 */
export type ServerMaterial = {
  readonly electionId: string;
  readonly serverUrl: string;
  /** ECDH key reports are encrypted to (JWE `kid` = its RFC 7638 thumbprint) */
  readonly decryptionKey: KeyObject;
  readonly reportEncryptionCertificate: CertificateInfo;
  readonly receiptKey: KeyObject;
  /** receipt certificate, then the issuing CA (goes into the receipt's x5c) */
  readonly receiptChain: readonly CertificateInfo[];
  readonly publicationKey: KeyObject;
  readonly publicationChain: readonly CertificateInfo[];
  /** the log's Ed25519 checkpoint key, its note verifier (origin = key name) and certificate */
  readonly checkpoint: CheckpointSigner & { readonly certificate: CertificateInfo };
  readonly tlsKeyPem: string;
  /** TLS certificate followed by the issuing CA, PEM (for https.createServer) */
  readonly tlsCertificateChainPem: string;
  readonly rootCaPem: string;
  readonly trust: Trust;
  readonly crl: Crl;
  /** re-reads crl.pem (after `pki revoke`); verifies it against the CAs */
  readonly reloadCrl: (now: Date) => Promise<Crl>;
  /** current certificate per precinct */
  readonly stations: ReadonlyMap<string, StationRecord>;
  /** re-reads the register */
  readonly reloadStations: () => Promise<ReadonlyMap<string, StationRecord>>;
  /** decrypts one station's TOTP secret (Base32) from the secret store */
  readonly stationSecret: (precinctId: string) => Promise<string>;
};

export async function loadServerMaterial(
  pkiDir: string,
  now: Date = new Date(),
): Promise<ServerMaterial> {
  const p = paths(pkiDir);
  const meta = await readJson(p.meta, PkiMetaSchema);
  const rootCaPem = await readText(p.root);
  const issuingPem = await readText(p.issuing);
  const trust = createTrust(rootCaPem, issuingPem);
  const issuing = trust.intermediates[0]!;
  const cas = [trust.root, issuing];
  const reloadCrl = async (at: Date) => parseCrlPem(await readText(p.crl), cas, at);
  const reloadStations = async () => currentStations(await readRegister(pkiDir));
  const enc = await loadServerSigner(pkiDir, 'report-encryption');
  const receipt = await loadServerSigner(pkiDir, 'receipt-signing');
  const publication = await loadServerSigner(pkiDir, 'publication-signing');
  const checkpoint = await loadServerSigner(pkiDir, 'checkpoint-signing');
  const checkpointVerifier = checkpointKeyFromText(
    await readText(p.checkpointKey),
    checkpointKeyFromCertificate(
      checkpoint.certificate,
      logOrigin(meta.serverUrl, meta.electionId),
      {
        trust,
        intermediates: [issuing.der],
        now,
      },
    ),
  );
  const tlsPem = await readText(p.serverCert('tls'));
  const secretKey = Buffer.from((await readSecret(p.secretStoreKey)).trim(), 'base64');
  return {
    electionId: meta.electionId,
    serverUrl: meta.serverUrl,
    decryptionKey: enc.key,
    reportEncryptionCertificate: enc.certificate,
    receiptKey: receipt.key,
    receiptChain: [receipt.certificate, issuing],
    publicationKey: publication.key,
    publicationChain: [publication.certificate, issuing],
    checkpoint: { ...checkpoint, verifier: checkpointVerifier },
    tlsKeyPem: await readSecret(p.serverKey('tls')),
    tlsCertificateChainPem: tlsPem + issuingPem,
    rootCaPem,
    trust,
    crl: await reloadCrl(now),
    reloadCrl,
    stations: await reloadStations(),
    reloadStations,
    stationSecret: async (precinctId) =>
      decryptStationSecret(
        JSON.parse(await readText(p.stationSecret(precinctId))),
        secretKey,
        precinctId,
      ),
  };
}

/** A server signing key with its chain (its certificate, then the issuing CA), alone. */
export type ServerSigner = {
  readonly electionId: string;
  readonly key: KeyObject;
  readonly chain: readonly CertificateInfo[];
};

/**
 * One of the server's signers alone, for a thread that signs and does nothing else with the PKI:
 * the publication thread (`publication-signing`) and the receipt signer (`receipt-signing`).
 */
async function loadSignerAlone(
  pkiDir: string,
  role: 'publication-signing' | 'receipt-signing',
): Promise<ServerSigner> {
  const p = paths(pkiDir);
  const meta = await readJson(p.meta, PkiMetaSchema);
  const signer = await loadServerSigner(pkiDir, role);
  const issuing = createTrust(await readText(p.root), await readText(p.issuing)).intermediates[0];
  if (issuing === undefined) throw new TypeError('issuing CA missing');
  return { electionId: meta.electionId, key: signer.key, chain: [signer.certificate, issuing] };
}

/** The publication signer alone (key, certificate, issuing CA), for publication's own thread. */
export function loadPublicationSigner(pkiDir: string): Promise<ServerSigner> {
  return loadSignerAlone(pkiDir, 'publication-signing');
}

/**
 * The receipt signer alone (key, certificate, issuing CA), for the receipt-signing thread: the
 * threads that open hostile envelopes hold no signing key.
 */
export function loadReceiptSigner(pkiDir: string): Promise<ServerSigner> {
  return loadSignerAlone(pkiDir, 'receipt-signing');
}

/**
 * What a verification worker needs to open reports, and nothing else: the report-decryption key,
 * the trust anchor and the CRL (re-readable). No station register, no TOTP secrets, no signing
 * keys: at national size the register alone is ~90 MB of heap per thread that holds it.
 */
export type VerifierMaterial = Pick<
  ServerMaterial,
  'electionId' | 'decryptionKey' | 'trust' | 'crl' | 'reloadCrl'
> & {
  /** the serial of every station's current certificate, read from the register when called */
  readonly currentSerials: () => Promise<readonly string[]>;
};

export async function loadVerifierMaterial(
  pkiDir: string,
  now: Date = new Date(),
): Promise<VerifierMaterial> {
  const p = paths(pkiDir);
  const meta = await readJson(p.meta, PkiMetaSchema);
  const trust = createTrust(await readText(p.root), await readText(p.issuing));
  const cas = [trust.root, trust.intermediates[0]!];
  const reloadCrl = async (at: Date) => parseCrlPem(await readText(p.crl), cas, at);
  return {
    electionId: meta.electionId,
    decryptionKey: (await loadServerSigner(pkiDir, 'report-encryption')).key,
    trust,
    crl: await reloadCrl(now),
    reloadCrl,
    currentSerials: async () =>
      [...currentStations(await readRegister(pkiDir)).values()].map((r) => r.serial),
  };
}
