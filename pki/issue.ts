import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { canonicalBytes, indexElection, stationExcerpt } from '../election/index.ts';
import { generateSecret, generateURI } from 'otplib';
import { signBundle, BUNDLE_CONTENT_FORMAT } from './bundle.ts';
import { writeCrls, type CaContext } from './ceremony.ts';
import { PkiError } from './error.ts';
import { encryptPrivateKey, type ScryptCost } from './key-encryption.ts';
import { renderLetter } from './letter.ts';
import { generatePassphrase } from './passphrase.ts';
import { createStationCertificate, serialFromRandom } from './profiles.ts';
import {
  RegisterJournal,
  isValidAt,
  readRegister,
  saveRegister,
  supersedeStale,
} from './register.ts';
import { revokedEntries } from './revocation.ts';
import { encryptStationSecret } from './secret-store.ts';
import {
  currentStations,
  paths,
  readSecret,
  readText,
  writeFileAtomic,
  writeSecret,
  type StationRecord,
} from './store-layout.ts';
import { toPem } from './x509.ts';

export type IssueOptions = {
  /** bundles: `<outDir>/<precinctId>/bundle.json`, copied onto the kit */
  readonly outDir: string;
  /** sealed letters: `<lettersDir>/<precinctId>.html` (owner-only), never beside the bundles */
  readonly lettersDir: string;
  readonly now: Date;
  /**
   * issue again for precincts that hold a valid certificate; their old certificates are then
   * revoked as superseded. Without it such a precinct is refused (ALREADY_ISSUED), because
   * re-issuing silently would lock out a kit that was already handed over.
   */
  readonly reissue?: boolean;
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

export type IssueResult = {
  readonly issued: IssuedStation[];
  /** certificates revoked because their precinct got a new one (`reissue`) */
  readonly superseded: StationRecord[];
};

/** Precincts among `precinctIds` that hold a valid certificate at `now`. */
export function alreadyIssued(
  ca: CaContext,
  precinctIds: readonly string[],
  now: Date,
): StationRecord[] {
  const current = currentStations(ca.register);
  return precinctIds.flatMap((id) => {
    const record = current.get(id);
    return record !== undefined && isValidAt(record, now) ? [record] : [];
  });
}

/**
 * Issues station certificates and writes, per precinct, `<outDir>/<precinctId>/bundle.json`
 * and the letter `<lettersDir>/<precinctId>.html`; the TOTP secret goes encrypted into the
 * server's secret store. Each station enters the register's journal once its files are
 * written, so an interrupted run keeps what it finished. A precinct that holds a valid
 * certificate is refused unless `reissue` is set; then its old certificate is superseded.
 */
export async function issueStations(
  ca: CaContext,
  precinctIds: readonly string[],
  opts: IssueOptions,
): Promise<IssueResult> {
  const known = new Set(ca.election.precincts.map((p) => p.id));
  for (const id of precinctIds) if (!known.has(id)) throw new PkiError('UNKNOWN_PRECINCT', id);
  if (opts.reissue !== true) {
    const held = alreadyIssued(ca, precinctIds, opts.now);
    if (held.length > 0) {
      throw new PkiError(
        'ALREADY_ISSUED',
        held.map((r) => `${r.precinctId} (serial ${r.serial})`).join(', '),
      );
    }
  }
  const p = paths(ca.dir);
  const shared = {
    root: await readText(p.root),
    issuing: await readText(p.issuing),
    crl: await readText(p.crl),
    reportEncryption: await readText(p.serverCert('report-encryption')),
    receiptSigning: await readText(p.serverCert('receipt-signing')),
    tls: await readText(p.serverCert('tls')),
    checkpointSigning: await readText(p.serverCert('checkpoint-signing')),
    secretKey: Buffer.from((await readSecret(p.secretStoreKey)).trim(), 'base64'),
  };
  // each bundle carries only its station's excerpt of the definition, bound to the whole by hash
  const electionIndex = indexElection(ca.election);
  const electionSha256 = createHash('sha256').update(canonicalBytes(ca.election)).digest('hex');
  const cost = opts.kdfCost ?? ca.meta.stationKeyCost;
  const issued: IssuedStation[] = [];
  const journal = await RegisterJournal.open(ca.dir);
  let next = 0;
  let failed = false;
  const worker = async () => {
    for (let i = next++; i < precinctIds.length && !failed; i = next++) {
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
          election: stationExcerpt(electionIndex, precinctId),
          electionSha256,
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
      await writeSecret(join(opts.lettersDir, `${precinctId}.html`), letter);
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
      await journal.append({
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
  // One station failing stops the others after their current station; all of them have
  // finished before the journal closes, and what was issued stays in it for the next run.
  const outcomes = await Promise.allSettled(
    Array.from({ length: concurrency }, () =>
      worker().catch((error: unknown) => {
        failed = true;
        throw error;
      }),
    ),
  );
  await journal.close();
  const failure = outcomes.find((o) => o.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  return { issued, superseded: await foldJournal(ca, opts.now) };
}

/**
 * Folds the journal into stations.json; certificates replaced by a newer one of their precinct
 * are revoked as superseded and a new CRL is published.
 */
async function foldJournal(ca: CaContext, now: Date): Promise<StationRecord[]> {
  const { register, superseded } = supersedeStale(await readRegister(ca.dir), now);
  await saveRegister(ca.dir, register);
  if (superseded.length > 0) await writeCrls(ca.dir, ca, ca.meta, revokedEntries(register), now);
  return superseded;
}
