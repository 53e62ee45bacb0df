import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { canonicalBytes, type Schnellmeldung } from '../../../election/index.ts';
import { openCa } from '../../../pki/ceremony.ts';
import { signSignedData } from '../../../pki/cms.ts';
import { encryptEnvelope } from '../../../pki/envelope.ts';
import { parseCertificate, parseCertificatePem, pkiPaths } from '../../../pki/index.ts';
import { createStationCertificate, serialFromRandom } from '../../../pki/profiles.ts';
import type { Kit, Office } from '../fixture.ts';

const DAY = 86_400_000;

/**
 * Builds broken envelopes the way an attacker holding a kit (or the office's issuing CA, for the
 * certificate cases) could: signed and encrypted with the real keys, but without sealMeldung's
 * own checks.
 */
export async function hostileKit(office: Office, kit: Kit) {
  const recipient = parseCertificatePem(
    readFileSync(pkiPaths(office.pkiDir).serverCert('report-encryption'), 'utf8'),
  );
  const [stationDer, issuingDer] = kit.chain as [Buffer, Buffer];
  const station = parseCertificate(stationDer);
  const issuing = parseCertificate(issuingDer);
  const signed = (content: Uint8Array, opts: { signingTime?: Date } = {}) =>
    signSignedData({
      content,
      key: kit.key,
      certificate: station,
      chain: [issuing],
      signingTime: opts.signingTime ?? new Date(),
    });
  const seal = (der: Uint8Array, format?: string) =>
    encryptEnvelope(der, recipient.publicKey, format);
  return {
    signed,
    seal,
    /** a tally signed for another precinct than the certificate's */
    crossed: (t: Schnellmeldung) => seal(signed(canonicalBytes(t))),
    /** a signature that does not verify: the last byte of the DER (in the signature) flipped */
    badSignature: (t: Schnellmeldung) => {
      const der = Buffer.from(signed(canonicalBytes(t)));
      der[der.length - 3] = der[der.length - 3]! ^ 0x01;
      return seal(der);
    },
    /** content changed after signing: one digit of the signed JSON altered */
    alteredContent: (t: Schnellmeldung) => {
      const bytes = canonicalBytes(t);
      const der = Buffer.from(signed(bytes));
      const at = der.indexOf(Buffer.from('"revision":1'));
      der[at + 11] = 0x32; // "revision":2
      return seal(der);
    },
    /** a station certificate of the office's own CA for another election */
    otherElection: async (t: Schnellmeldung) => {
      const ca = await openCa(office.pkiDir, 'test ca passphrase');
      const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const cert = await createStationCertificate({
        serial: serialFromRandom(randomBytes(16)),
        notBefore: new Date(Date.now() - DAY),
        notAfter: new Date(Date.now() + DAY),
        electionId: 'another-election',
        precinctId: t.precinctId,
        publicKey: keys.publicKey,
        issuer: ca.issuing,
      });
      const der = signSignedData({
        content: canonicalBytes({ ...t, electionId: 'another-election' }),
        key: keys.privateKey,
        certificate: cert,
        chain: [issuing],
        signingTime: new Date(),
      });
      return seal(der);
    },
  };
}

/** Alters one character in the middle of a JWE part (0 header … 4 tag) of a sealed envelope. */
export function flipInJwe(envelope: Uint8Array, part: number): Uint8Array {
  const obj = JSON.parse(Buffer.from(envelope).toString('utf8')) as { format: string; jwe: string };
  const parts = obj.jwe.split('.');
  const target = parts[part]!;
  const i = Math.floor(target.length / 2);
  parts[part] = target.slice(0, i) + (target[i] === 'A' ? 'B' : 'A') + target.slice(i + 1);
  return new TextEncoder().encode(JSON.stringify({ ...obj, jwe: parts.join('.') }));
}
