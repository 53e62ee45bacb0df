/**
 * Fixture generator for the PKI tests: one sealed report per failure mode, each with the
 * PkiError code it must be refused with (docs/protocol.md §8). Everything is generated fresh at
 * test time (keys never touch the repository). `npx tsx scripts/pki-fixtures.ts <dir>` writes
 * the same set to disk for manual inspection.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import {
  SCHNELLMELDUNG_FORMAT,
  canonicalBytes,
  type ElectionDefinition,
  type Schnellmeldung,
} from '../../election/index.ts';
import { createTrust, type Trust } from '../../pki/chain.ts';
import type { CertificateInfo } from '../../pki/certificate.ts';
import { signSignedData } from '../../pki/cms.ts';
import { createCrl, crlToPem, parseCrlPem, type Crl } from '../../pki/crl.ts';
import { encryptEnvelope } from '../../pki/envelope.ts';
import type { PkiErrorCode } from '../../pki/error.ts';
import { sealMeldung } from '../../pki/meldung.ts';
import { EKU } from '../../pki/oids.ts';
import {
  createIssuingCa,
  createRootCa,
  createServerCertificate,
  createStationCertificate,
  issueCertificate,
  serialFromRandom,
  type Signer,
} from '../../pki/profiles.ts';
import { stationUri } from '../../pki/certificate.ts';
import { toPem, x509 } from '../../pki/x509.ts';

const DAY = 86_400_000;
export const ELECTION_ID = 'test-election';

const keyPair = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const serial = () => serialFromRandom(randomBytes(16));

export type Station = Signer & { precinctId: string };

export type TestPki = {
  readonly now: Date;
  readonly root: Signer;
  readonly issuing: Signer;
  readonly rootPem: string;
  readonly crlPem: string;
  readonly trust: Trust;
  readonly crl: Crl;
  readonly decryptionKey: KeyObject;
  readonly recipient: CertificateInfo;
  readonly receipt: Signer;
  readonly provisioning: Signer;
  /** a valid station for precinct "p-1" and one for "p-2" */
  readonly station: Station;
  readonly station2: Station;
  /** a station certificate that is on the CRL */
  readonly revoked: Station;
  readonly newStation: (
    precinctId: string,
    window?: { notBefore: Date; notAfter: Date },
  ) => Promise<Station>;
};

export async function createCa(
  electionId: string,
  now: Date,
): Promise<{ root: Signer; issuing: Signer }> {
  const window = {
    notBefore: new Date(now.getTime() - 90 * DAY),
    notAfter: new Date(now.getTime() + 365 * DAY),
  };
  const rk = keyPair();
  const rootCert = await createRootCa({
    ...window,
    serial: serial(),
    electionId,
    key: rk.privateKey,
    publicKey: rk.publicKey,
  });
  const root = { certificate: rootCert, key: rk.privateKey };
  const ik = keyPair();
  const issuingCert = await createIssuingCa({
    ...window,
    serial: serial(),
    electionId,
    publicKey: ik.publicKey,
    root,
  });
  return { root, issuing: { certificate: issuingCert, key: ik.privateKey } };
}

export async function createTestPki(now: Date): Promise<TestPki> {
  const { root, issuing } = await createCa(ELECTION_ID, now);
  const window = {
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 30 * DAY),
  };
  const newStation = async (precinctId: string, w = window): Promise<Station> => {
    const k = keyPair();
    const certificate = await createStationCertificate({
      ...w,
      serial: serial(),
      electionId: ELECTION_ID,
      precinctId,
      publicKey: k.publicKey,
      issuer: issuing,
    });
    return { certificate, key: k.privateKey, precinctId };
  };
  const server = async (
    role: 'report-encryption' | 'receipt-signing' | 'provisioning',
  ): Promise<Signer> => {
    const k = keyPair();
    const certificate = await createServerCertificate({
      ...window,
      serial: serial(),
      electionId: ELECTION_ID,
      role,
      publicKey: k.publicKey,
      issuer: issuing,
    });
    return { certificate, key: k.privateKey };
  };
  const enc = await server('report-encryption');
  const revoked = await newStation('p-3');
  const issuingCrl = await createCrl({
    issuer: issuing,
    entries: [
      {
        serial: revoked.certificate.serial,
        revokedAt: new Date(now.getTime() - 60_000),
        reason: 'keyCompromise',
      },
    ],
    thisUpdate: new Date(now.getTime() - 60_000),
    nextUpdate: new Date(now.getTime() + 30 * DAY),
    crlNumber: 2,
  });
  const rootCrl = await createCrl({
    issuer: root,
    entries: [],
    thisUpdate: new Date(now.getTime() - 60_000),
    nextUpdate: new Date(now.getTime() + 30 * DAY),
    crlNumber: 2,
  });
  const crlPem = crlToPem(issuingCrl) + crlToPem(rootCrl);
  const rootPem = toPem(root.certificate.der, 'CERTIFICATE');
  return {
    now,
    root,
    issuing,
    rootPem,
    crlPem,
    trust: createTrust(rootPem),
    crl: parseCrlPem(crlPem, [root.certificate, issuing.certificate], now),
    decryptionKey: enc.key,
    recipient: enc.certificate,
    receipt: await server('receipt-signing'),
    provisioning: await server('provisioning'),
    station: await newStation('p-1'),
    station2: await newStation('p-2'),
    revoked,
    newStation,
  };
}

/** A three-precinct election matching `tallyFor` (for the store and CLI tests). */
export const smallElection: ElectionDefinition = {
  format: 'wahlkoffer.election/1',
  id: 'test-election',
  name: 'Testwahl',
  date: '2026-03-08',
  kind: 'KOMMUNALWAHL',
  areas: [{ id: 'stadt', name: 'Stadt', level: 'STADT', parentId: null }],
  precincts: ['p-1', 'p-2', 'p-3'].map((id, i) => ({
    id,
    number: `000${i + 1}`,
    name: `Schule ${i + 1}`,
    kind: 'URNE' as const,
    areaId: 'stadt',
    register: { A1: 1000, A2: 20, A3: 1 },
  })),
  contests: [
    {
      kind: 'MEHRHEITSWAHL',
      id: 'ob',
      name: 'Oberbürgermeister',
      areaId: 'stadt',
      office: 'OBERBUERGERMEISTER',
      round: 'HAUPTWAHL',
      candidates: [
        { id: 'c1', name: 'Erika Muster' },
        { id: 'c2', name: 'Max Beispiel' },
      ],
    },
  ],
};

export function tallyFor(precinctId: string, electionId = ELECTION_ID): Schnellmeldung {
  return {
    format: SCHNELLMELDUNG_FORMAT,
    electionId,
    precinctId,
    contestId: 'ob',
    revision: 1,
    counts: { A1: 1000, A2: 20, A3: 1, A: 1021, B: 600, B1: 20, C: 5, D: 595, D1: 300, D2: 295 },
    acknowledgements: [],
    enteredBy: [
      { role: 'WAHLVORSTEHER', initials: 'AB' },
      { role: 'SCHRIFTFUEHRER', initials: 'CD' },
    ],
  };
}

export type FailureCase = {
  readonly name: string;
  readonly envelope: Uint8Array;
  readonly expected: PkiErrorCode | 'OK';
};

/** Signs and encrypts arbitrary content without sealMeldung's own checks (to build bad cases). */
async function rawSeal(
  pki: TestPki,
  content: Uint8Array,
  signer: Signer,
  opts: { signingTime?: Date; chain?: CertificateInfo[]; recipient?: KeyObject } = {},
) {
  const der = signSignedData({
    content,
    key: signer.key,
    certificate: signer.certificate,
    chain: opts.chain ?? [pki.issuing.certificate],
    signingTime: opts.signingTime ?? pki.now,
  });
  return encryptEnvelope(der, opts.recipient ?? pki.recipient.publicKey);
}

function flipInJwe(envelope: Uint8Array, part: number): Uint8Array {
  const obj = JSON.parse(Buffer.from(envelope).toString('utf8')) as { format: string; jwe: string };
  const parts = obj.jwe.split('.');
  const target = parts[part]!;
  const i = Math.floor(target.length / 2);
  parts[part] = target.slice(0, i) + (target[i] === 'A' ? 'B' : 'A') + target.slice(i + 1);
  return new TextEncoder().encode(JSON.stringify({ ...obj, jwe: parts.join('.') }));
}

export async function generatePkiFixtures(pki: TestPki): Promise<FailureCase[]> {
  const { now, station } = pki;
  const seal = (t: Schnellmeldung, s: Signer) =>
    sealMeldung(t, {
      stationKey: s.key,
      stationCertificate: s.certificate,
      chain: [pki.issuing.certificate],
      recipientCertificate: pki.recipient,
      now,
    });
  const valid = await seal(tallyFor('p-1'), station);
  const cases: FailureCase[] = [{ name: 'valid', envelope: valid, expected: 'OK' }];
  const add = (name: string, envelope: Uint8Array, expected: PkiErrorCode) =>
    cases.push({ name, envelope, expected });

  const expired = await pki.newStation('p-1', {
    notBefore: new Date(now.getTime() - 60 * DAY),
    notAfter: new Date(now.getTime() - 30 * DAY),
  });
  add(
    'expired',
    await rawSeal(pki, canonicalBytes(tallyFor('p-1')), expired, {
      signingTime: new Date(now.getTime() - 40 * DAY),
    }),
    'CERT_EXPIRED',
  );
  const future = await pki.newStation('p-1', {
    notBefore: new Date(now.getTime() + DAY),
    notAfter: new Date(now.getTime() + 30 * DAY),
  });
  add(
    'not-yet-valid',
    await rawSeal(pki, canonicalBytes(tallyFor('p-1')), future),
    'CERT_NOT_YET_VALID',
  );

  const other = await createCa(pki.trust.electionId, now);
  const ok = keyPair();
  const foreign = await createStationCertificate({
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 30 * DAY),
    serial: serial(),
    electionId: ELECTION_ID,
    precinctId: 'p-1',
    publicKey: ok.publicKey,
    issuer: other.issuing,
  });
  add(
    'other-ca',
    await rawSeal(
      pki,
      canonicalBytes(tallyFor('p-1')),
      { certificate: foreign, key: ok.privateKey },
      { chain: [other.issuing.certificate] },
    ),
    'CERT_UNTRUSTED',
  );

  add('revoked', await seal(tallyFor('p-3'), pki.revoked), 'CERT_REVOKED');
  add(
    'wrong-precinct',
    await rawSeal(pki, canonicalBytes(tallyFor('p-2')), station),
    'CERT_WRONG_PRECINCT',
  );

  const wk = keyPair();
  const wrongElection = await createStationCertificate({
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 30 * DAY),
    serial: serial(),
    electionId: 'other-election',
    precinctId: 'p-1',
    publicKey: wk.publicKey,
    issuer: pki.issuing,
  });
  add(
    'wrong-election',
    await rawSeal(pki, canonicalBytes(tallyFor('p-1', 'other-election')), {
      certificate: wrongElection,
      key: wk.privateKey,
    }),
    'CERT_WRONG_ELECTION',
  );

  const uk = keyPair();
  const wrongUsage = await issueCertificate({
    subject: 'CN=Stimmbezirk p-1, O=Wahlkoffer',
    publicKey: uk.publicKey,
    issuer: pki.issuing,
    serial: serial(),
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 30 * DAY),
    keyUsage: x509.KeyUsageFlags.keyAgreement,
    extendedKeyUsages: [EKU.reportEncryption],
    uris: [stationUri(ELECTION_ID, 'p-1')],
  });
  add(
    'wrong-key-usage',
    await rawSeal(pki, canonicalBytes(tallyFor('p-1')), {
      certificate: wrongUsage,
      key: uk.privateKey,
    }),
    'CERT_WRONG_USAGE',
  );

  // tampered payload: same length, one digit changed inside the signed content
  const der = signSignedData({
    content: canonicalBytes(tallyFor('p-1')),
    key: station.key,
    certificate: station.certificate,
    chain: [pki.issuing.certificate],
    signingTime: now,
  });
  const at = der.indexOf(Buffer.from('"B":600'));
  const tampered = Buffer.from(der);
  tampered[at + 5] = '7'.charCodeAt(0);
  add(
    'tampered-payload',
    await encryptEnvelope(tampered, pki.recipient.publicKey),
    'DIGEST_MISMATCH',
  );
  const badSig = Buffer.from(der);
  badSig[der.length - 5] = badSig[der.length - 5]! ^ 0x01;
  add('bad-signature', await encryptEnvelope(badSig, pki.recipient.publicKey), 'SIGNATURE_INVALID');

  add('tampered-envelope', flipInJwe(valid, 3), 'DECRYPTION_FAILED');
  const stranger = keyPair();
  add(
    'wrong-recipient',
    await rawSeal(pki, canonicalBytes(tallyFor('p-1')), station, { recipient: stranger.publicKey }),
    'WRONG_RECIPIENT',
  );
  add('truncated', valid.subarray(0, Math.floor(valid.length / 2)), 'ENVELOPE_MALFORMED');
  add('garbage', randomBytes(2000), 'ENVELOPE_MALFORMED');
  add(
    'oversize',
    new TextEncoder().encode(
      JSON.stringify({ format: 'wahlkoffer.meldung/1', jwe: 'A'.repeat(70_000) }),
    ),
    'ENVELOPE_TOO_LARGE',
  );
  add(
    'wrong-purpose',
    new TextEncoder().encode(
      JSON.stringify({
        ...JSON.parse(Buffer.from(valid).toString('utf8')),
        format: 'wahlkoffer.quittung/1',
      }),
    ),
    'ENVELOPE_WRONG_PURPOSE',
  );
  add(
    'not-signed-data',
    await encryptEnvelope(randomBytes(300), pki.recipient.publicKey),
    'SIGNED_DATA_MALFORMED',
  );
  add(
    'future-signing-time',
    await rawSeal(pki, canonicalBytes(tallyFor('p-1')), station, {
      signingTime: new Date(now.getTime() + 3_600_000),
    }),
    'SIGNING_TIME_INVALID',
  );
  const notATally = canonicalBytes({
    electionId: ELECTION_ID,
    precinctId: 'p-1',
    format: SCHNELLMELDUNG_FORMAT,
    counts: 'many',
  });
  add('tally-malformed', await rawSeal(pki, notATally, station), 'TALLY_MALFORMED');
  const noncanonical = new TextEncoder().encode(JSON.stringify(tallyFor('p-1'), null, 2));
  add('tally-not-canonical', await rawSeal(pki, noncanonical, station), 'TALLY_MALFORMED');
  // canonical JSON behind a UTF-8 byte-order mark, which a decoder drops: not the canonical bytes
  const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), canonicalBytes(tallyFor('p-1'))]);
  add('tally-behind-a-byte-order-mark', await rawSeal(pki, withBom, station), 'TALLY_MALFORMED');
  // a reason with a lone surrogate: valid JSON (JSON.stringify escapes it), no UTF-8, no RFC 8785
  const loneSurrogate = new TextEncoder().encode(
    JSON.stringify({
      ...tallyFor('p-1'),
      acknowledgements: [{ code: 'W.201', reason: 'Zählfehler \ud800 behoben' }],
    }),
  );
  add('tally-with-a-lone-surrogate', await rawSeal(pki, loneSurrogate, station), 'TALLY_MALFORMED');
  return cases;
}
