import { createPrivateKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdir, readdir } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { ElectionDefinition } from '../election/index.ts';
import { parseCertificatePem, type CertificateInfo } from './certificate.ts';
import { createCrl, crlIssuer, crlToPem, type RevocationEntry } from './crl.ts';
import { PkiError } from './error.ts';
import {
  DEFAULT_SCRYPT_COST,
  EncryptedKeySchema,
  decryptPrivateKey,
  encryptPrivateKey,
  type ScryptCost,
} from './key-encryption.ts';
import {
  SERVER_ROLES,
  createIssuingCa,
  createRootCa,
  createServerCertificate,
  serialFromRandom,
  type ServerRole,
  type Signer,
} from './profiles.ts';
import {
  PKI_FORMAT,
  PkiMetaSchema,
  REGISTER_FORMAT,
  paths,
  readElection,
  readJson,
  readSecret,
  readSecretJson,
  readText,
  writeFileAtomic,
  writeSecret,
  type PkiMeta,
  type Register,
} from './store-layout.ts';
import { readRegister } from './register.ts';
import { fromPemAll, toPem } from './x509.ts';
import { formatVerifierKey, noteKey } from '../transparency/index.ts';
import { logOrigin } from './log-key.ts';

const DAY = 86_400_000;
/** notBefore lies this far in the past, so a kit whose clock is slightly behind still accepts. */
const BACKDATE_MS = 60 * 60_000;

/**
 * Validity windows around the election day (docs/crypto.md §Validity). For an election date
 * in the past (demos, replays of 2020 data) the windows are anchored at today instead.
 */
export function validityWindows(electionDate: string, now: Date) {
  const day = Math.max(Date.parse(`${electionDate}T00:00:00Z`), now.getTime());
  return {
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    root: new Date(day + 730 * DAY),
    issuing: new Date(day + 365 * DAY),
    server: new Date(day + 90 * DAY),
    /** covers a Stichwahl two weeks later and late corrections */
    station: new Date(day + 30 * DAY),
  };
}

const newKeyPair = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
/** Every key is ECDSA P-256 except the checkpoint key: C2SP signed notes are Ed25519. */
const newServerKeyPair = (role: ServerRole) =>
  role === 'checkpoint-signing' ? generateKeyPairSync('ed25519') : newKeyPair();
const serial = () => serialFromRandom(randomBytes(16));

export type InitOptions = {
  readonly dir: string;
  readonly election: ElectionDefinition;
  readonly caPassphrase: string;
  readonly serverUrl: string;
  readonly now: Date;
  /** scrypt cost of the CA keys and of station keys issued later (tests lower it explicitly) */
  readonly kdfCost?: ScryptCost;
};

/** The CA ceremony: root CA, issuing CA, server certificates, empty CRLs, empty register. */
export async function initPki(opts: InitOptions): Promise<void> {
  const p = paths(opts.dir);
  await mkdir(opts.dir, { recursive: true, mode: 0o700 });
  if ((await readdir(opts.dir)).length > 0) throw new PkiError('STORE_EXISTS', opts.dir);
  const cost = opts.kdfCost ?? DEFAULT_SCRYPT_COST;
  const electionId = opts.election.id;
  const w = validityWindows(opts.election.date, opts.now);
  const rootKeys = newKeyPair();
  const root = await createRootCa({
    electionId,
    key: rootKeys.privateKey,
    publicKey: rootKeys.publicKey,
    serial: serial(),
    notBefore: w.notBefore,
    notAfter: w.root,
  });
  const issuingKeys = newKeyPair();
  const rootSigner = { certificate: root, key: rootKeys.privateKey };
  const issuing = await createIssuingCa({
    electionId,
    publicKey: issuingKeys.publicKey,
    root: rootSigner,
    serial: serial(),
    notBefore: w.notBefore,
    notAfter: w.issuing,
  });
  const issuingSigner = { certificate: issuing, key: issuingKeys.privateKey };
  const host = new URL(opts.serverUrl).hostname.replace(/^\[|\]$/g, '');
  for (const role of SERVER_ROLES) {
    const keys = newServerKeyPair(role);
    const cert = await createServerCertificate({
      electionId,
      role,
      publicKey: keys.publicKey,
      issuer: issuingSigner,
      serial: serial(),
      notBefore: w.notBefore,
      notAfter: w.server,
      dnsNames: isIP(host) === 0 ? [host] : [],
      ipAddresses: isIP(host) === 0 ? [] : [host],
    });
    await writeFileAtomic(p.serverCert(role), toPem(cert.der, 'CERTIFICATE'));
    await writeSecret(p.serverKey(role), keys.privateKey.export({ format: 'pem', type: 'pkcs8' }));
    if (role === 'checkpoint-signing') {
      const key = noteKey(logOrigin(opts.serverUrl, electionId), keys.publicKey);
      await writeFileAtomic(p.checkpointKey, `${formatVerifierKey(key)}\n`);
    }
  }
  await writeSecret(p.secretStoreKey, `${randomBytes(32).toString('base64')}\n`);
  await writeSecret(
    p.rootKey,
    JSON.stringify(await encryptPrivateKey(rootKeys.privateKey, opts.caPassphrase, cost)),
  );
  await writeSecret(
    p.issuingKey,
    JSON.stringify(await encryptPrivateKey(issuingKeys.privateKey, opts.caPassphrase, cost)),
  );
  await writeFileAtomic(p.root, toPem(root.der, 'CERTIFICATE'));
  await writeFileAtomic(p.issuing, toPem(issuing.der, 'CERTIFICATE'));
  await writeFileAtomic(p.election, `${JSON.stringify(opts.election, null, 2)}\n`);
  const meta: PkiMeta = {
    format: PKI_FORMAT,
    electionId,
    serverUrl: opts.serverUrl,
    createdAt: opts.now.toISOString(),
    stationNotAfter: w.station.toISOString(),
    serverNotAfter: w.server.toISOString(),
    crlNumber: 1,
    stationKeyCost: cost,
  };
  const register: Register = { format: REGISTER_FORMAT, certificates: [] };
  await writeFileAtomic(p.register, `${JSON.stringify(register, null, 1)}\n`);
  await writeCrls(
    opts.dir,
    { root, rootKey: rootKeys.privateKey, issuing: issuingSigner },
    meta,
    [],
    opts.now,
  );
}

/**
 * Publishes a CRL: crl.pem holds the issuing CA's CRL (the revoked stations), then the root's
 * CRL (empty; it lets `openssl -crl_check_all` check the issuing CA). The root's CRL is signed
 * only when the root key is given (`pki init`); later runs copy it from the existing crl.pem, so
 * after the ceremony the root key can go offline. Every published crl.pem is also kept as
 * `crls/crl-<number>.pem` (the issuing CRL's number), so an auditor can check a report against
 * the CRL in force when it was signed. The number is taken (pki.json) before anything is
 * written, so no two different CRLs ever carry the same number, even after a crash.
 */
export async function writeCrls(
  dir: string,
  cas: { root: CertificateInfo; rootKey?: KeyObject; issuing: Signer },
  meta: PkiMeta,
  revoked: readonly RevocationEntry[],
  now: Date,
): Promise<PkiMeta> {
  const next = { ...meta, crlNumber: meta.crlNumber + 1 };
  const issuingCrl = await createCrl({
    issuer: cas.issuing,
    entries: revoked,
    thisUpdate: now,
    nextUpdate: new Date(meta.stationNotAfter),
    crlNumber: meta.crlNumber,
  });
  const rootCrlPem =
    cas.rootKey === undefined
      ? await existingCrlOf(dir, cas.root)
      : crlToPem(
          await createCrl({
            issuer: { certificate: cas.root, key: cas.rootKey },
            entries: [],
            thisUpdate: now,
            nextUpdate: cas.root.notAfter,
            crlNumber: 1,
          }),
        );
  const published = crlToPem(issuingCrl) + rootCrlPem;
  await writeFileAtomic(paths(dir).meta, `${JSON.stringify(next, null, 1)}\n`);
  await writeFileAtomic(paths(dir).crlHistory(meta.crlNumber), published);
  await writeFileAtomic(paths(dir).crl, published);
  return next;
}

async function existingCrlOf(dir: string, ca: CertificateInfo): Promise<string> {
  const block = fromPemAll(await readText(paths(dir).crl), 'X509 CRL').find(
    (der) => crlIssuer(der) === ca.subject,
  );
  if (block === undefined) throw new PkiError('STORE_MALFORMED', 'crl.pem has no root CRL');
  return crlToPem(block);
}

/**
 * Everything the office needs to issue and revoke: the unlocked issuing CA and the store's
 * state. The root key is not needed (and not decrypted) after `pki init`.
 */
export type CaContext = {
  readonly dir: string;
  readonly meta: PkiMeta;
  readonly election: ElectionDefinition;
  readonly root: CertificateInfo;
  readonly issuing: Signer;
  readonly provisioning: Signer;
  readonly register: Register;
};

export async function openCa(dir: string, caPassphrase: string): Promise<CaContext> {
  const p = paths(dir);
  const meta = await readJson(p.meta, PkiMetaSchema);
  const election = await readElection(p.election);
  const root = parseCertificatePem(await readText(p.root));
  const issuing = parseCertificatePem(await readText(p.issuing));
  const issuingKey = await decryptPrivateKey(
    await readSecretJson(p.issuingKey, EncryptedKeySchema),
    caPassphrase,
  );
  const provisioning = await loadServerSigner(dir, 'provisioning');
  return {
    dir,
    meta,
    election,
    root,
    issuing: { certificate: issuing, key: issuingKey },
    provisioning,
    register: await readRegister(dir),
  };
}

export async function loadServerSigner(
  dir: string,
  role: ServerRole,
): Promise<Signer & { key: KeyObject; certificate: CertificateInfo }> {
  const p = paths(dir);
  return {
    certificate: parseCertificatePem(await readText(p.serverCert(role))),
    key: createPrivateKey(await readSecret(p.serverKey(role))),
  };
}
