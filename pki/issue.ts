import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { generateSecret, generateURI } from 'otplib';
import { signBundle, BUNDLE_CONTENT_FORMAT } from './bundle.ts';
import { writeCrls, type CaContext } from './ceremony.ts';
import { PkiError } from './error.ts';
import { encryptPrivateKey, type ScryptCost } from './key-encryption.ts';
import { renderLetter } from './letter.ts';
import { generatePassphrase } from './passphrase.ts';
import { createStationCertificate, serialFromRandom } from './profiles.ts';
import { revokedEntries } from './revocation.ts';
import { encryptStationSecret } from './secret-store.ts';
import {
  currentStations,
  paths,
  readText,
  writeFileAtomic,
  writeSecret,
  type StationRecord,
} from './store-layout.ts';
import { toPem } from './x509.ts';

export type IssueOptions = {
  readonly outDir: string;
  readonly now: Date;
  /** default: the cost recorded in pki.json at `pki init` */
  readonly kdfCost?: ScryptCost;
  /** parallel stations; default = number of cores (scrypt runs on libuv's thread pool) */
  readonly concurrency?: number;
  readonly onProgress?: (done: number, total: number) => void;
};

export type IssuedStation = {
  readonly precinctId: string;
  readonly serial: string;
  readonly fingerprint: string;
  /** the secrets only the letter holds; returned for `--reveal-secrets` (demos and tests) */
  readonly passphrase: string;
  readonly totpSecret: string;
};

/**
 * Issues station certificates and writes, per precinct, `<out>/<precinctId>/bundle.json` and
 * `letter.html`; the TOTP secret goes encrypted into the server's secret store. A precinct that
 * already holds a valid certificate gets a new one and the old one is revoked as superseded.
 */
export async function issueStations(
  ca: CaContext,
  precinctIds: readonly string[],
  opts: IssueOptions,
): Promise<IssuedStation[]> {
  const known = new Set(ca.election.precincts.map((p) => p.id));
  for (const id of precinctIds) if (!known.has(id)) throw new PkiError('UNKNOWN_PRECINCT', id);
  const p = paths(ca.dir);
  const shared = {
    root: await readText(p.root),
    issuing: await readText(p.issuing),
    crl: await readText(p.crl),
    reportEncryption: await readText(p.serverCert('report-encryption')),
    receiptSigning: await readText(p.serverCert('receipt-signing')),
    tls: await readText(p.serverCert('tls')),
    checkpointSigning: await readText(p.serverCert('checkpoint-signing')),
    secretKey: Buffer.from((await readText(p.secretStoreKey)).trim(), 'base64'),
  };
  const cost = opts.kdfCost ?? ca.meta.stationKeyCost;
  const issued: IssuedStation[] = [];
  const records: StationRecord[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < precinctIds.length; i = next++) {
      const precinctId = precinctIds[i]!;
      const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const cert = await createStationCertificate({
        electionId: ca.meta.electionId,
        precinctId,
        publicKey: keys.publicKey,
        issuer: ca.issuing,
        serial: serialFromRandom(randomBytes(16)),
        notBefore: new Date(opts.now.getTime() - 60 * 60_000),
        notAfter: new Date(ca.meta.stationNotAfter),
      });
      const passphrase = generatePassphrase();
      const totpSecret = generateSecret({ length: 20 });
      const bundle = signBundle(
        {
          format: BUNDLE_CONTENT_FORMAT,
          electionId: ca.meta.electionId,
          precinctId,
          issuedAt: opts.now.toISOString(),
          election: ca.election,
          station: {
            certificate: toPem(cert.der, 'CERTIFICATE'),
            encryptedKey: await encryptPrivateKey(keys.privateKey, passphrase, cost),
          },
          ca: { root: shared.root, issuing: shared.issuing },
          crl: shared.crl,
          server: {
            url: ca.meta.serverUrl,
            reportEncryption: shared.reportEncryption,
            receiptSigning: shared.receiptSigning,
            tls: shared.tls,
            checkpointSigning: shared.checkpointSigning,
          },
        },
        { ...ca.provisioning, chain: [ca.issuing.certificate] },
        opts.now,
      );
      const totpUri = generateURI({
        issuer: `Wahlkoffer ${ca.meta.electionId}`,
        label: precinctId,
        secret: totpSecret,
      });
      const letter = await renderLetter({
        election: ca.election,
        precinctId,
        passphrase,
        totpUri,
        certificateFingerprint: cert.fingerprint,
        rootFingerprint: ca.root.fingerprint,
        serverUrl: ca.meta.serverUrl,
      });
      await writeFileAtomic(join(opts.outDir, precinctId, 'bundle.json'), bundle);
      await writeSecret(join(opts.outDir, precinctId, 'letter.html'), letter);
      await writeSecret(
        p.stationSecret(precinctId),
        JSON.stringify(encryptStationSecret(totpSecret, shared.secretKey, precinctId)),
      );
      await writeFileAtomic(p.issued(cert.serial), toPem(cert.der, 'CERTIFICATE'));
      issued.push({
        precinctId,
        serial: cert.serial,
        fingerprint: cert.fingerprint,
        passphrase,
        totpSecret,
      });
      records.push({
        precinctId,
        serial: cert.serial,
        fingerprint: cert.fingerprint,
        issuedAt: opts.now.toISOString(),
        notAfter: cert.notAfter.toISOString(),
        status: 'ISSUED',
      });
      opts.onProgress?.(issued.length, precinctIds.length);
    }
  };
  const concurrency = Math.max(1, opts.concurrency ?? availableParallelism());
  await Promise.all(Array.from({ length: concurrency }, worker));
  await recordIssued(ca, records, opts.now);
  return issued;
}

/** Appends to the register; earlier live certificates of the same precincts become superseded. */
async function recordIssued(ca: CaContext, records: StationRecord[], now: Date): Promise<void> {
  const renewed = new Set(records.map((r) => r.precinctId));
  const before = currentStations(ca.register);
  let superseded = false;
  const certificates = ca.register.certificates.map((r) => {
    if (!renewed.has(r.precinctId) || r.status !== 'ISSUED' || before.get(r.precinctId) !== r)
      return r;
    superseded = true;
    return { ...r, status: 'REVOKED' as const, revokedAt: now.toISOString(), reason: 'superseded' };
  });
  const register = { ...ca.register, certificates: [...certificates, ...records] };
  await writeFileAtomic(paths(ca.dir).register, `${JSON.stringify(register, null, 1)}\n`);
  if (superseded) await writeCrls(ca.dir, ca, ca.meta, revokedEntries(register), now);
}
