import { verify as cryptoVerify, createHash } from 'node:crypto';
import forge from 'node-forge';
import { AsnConvert } from '@peculiar/asn1-schema';
import { ContentInfo, SignedData } from '@peculiar/asn1-cms';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalBytes } from '../../election/index.ts';
import { parseSignedData, signSignedData } from '../../pki/cms.ts';
import { createTestPki, tallyFor, type TestPki } from './fixtures.ts';

let pki: TestPki;
let der: Buffer;
const content = canonicalBytes(tallyFor('p-1'));

beforeAll(async () => {
  pki = await createTestPki(new Date('2026-03-08T18:30:00Z'));
  der = signSignedData({
    content,
    key: pki.station.key,
    certificate: pki.station.certificate,
    chain: [pki.issuing.certificate],
    signingTime: pki.now,
  });
});

describe('our SignedData read by independent parsers', () => {
  it('@peculiar/asn1-cms sees the same content, signer and signature', () => {
    const ci = AsnConvert.parse(der, ContentInfo);
    const sd = AsnConvert.parse(ci.content, SignedData);
    const parsed = parseSignedData(der);
    expect(Buffer.from(sd.encapContentInfo.eContent!.single!.buffer)).toEqual(parsed.content);
    expect(Buffer.from(sd.signerInfos[0]!.signature.buffer)).toEqual(parsed.signature);
    expect(sd.certificates).toHaveLength(2);
    expect(sd.signerInfos[0]!.signedAttrs).toHaveLength(3);
  });

  it('node-forge’s ASN.1 reader finds the same signed attributes, and node:crypto verifies over them', () => {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')), true);
    const signedData = (asn1.value as forge.asn1.Asn1[])[1]!.value as forge.asn1.Asn1[];
    const sdFields = signedData[0]!.value as forge.asn1.Asn1[];
    const signerInfo = (sdFields[4]!.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[];
    const attrs = signerInfo[3]!;
    // RFC 5652 §5.4: the signature covers the attributes encoded as a SET (tag 0x31)
    const asSet = forge.asn1.create(
      forge.asn1.Class.UNIVERSAL,
      forge.asn1.Type.SET,
      true,
      attrs.value as forge.asn1.Asn1[],
    );
    const setDer = Buffer.from(forge.asn1.toDer(asSet).getBytes(), 'binary');
    const signature = Buffer.from(signerInfo[5]!.value as string, 'binary');
    expect(cryptoVerify('sha256', setDer, pki.station.certificate.publicKey, signature)).toBe(true);
    const md = forge.md.sha256.create();
    md.update(Buffer.from(content).toString('binary'));
    expect(setDer.includes(Buffer.from(md.digest().getBytes(), 'binary'))).toBe(true);
    expect(createHash('sha256').update(content).digest()).toEqual(
      Buffer.from(md.digest().getBytes(), 'binary'),
    );
  });
});

describe('the strict DER reader', () => {
  it('refuses trailing bytes', () => {
    expect(() => parseSignedData(Buffer.concat([der, Buffer.from([0])]))).toThrow(
      expect.objectContaining({ code: 'SIGNED_DATA_MALFORMED' }),
    );
  });

  it('refuses an indefinite-length (BER) encoding', () => {
    const ber = Buffer.concat([Buffer.from([0x30, 0x80]), der.subarray(4), Buffer.from([0, 0])]);
    expect(() => parseSignedData(ber)).toThrow(
      expect.objectContaining({ code: 'SIGNED_DATA_MALFORMED' }),
    );
  });

  it('refuses a truncated message at every length', () => {
    for (let n = 0; n < der.length; n += 37) {
      expect(() => parseSignedData(der.subarray(0, n))).toThrow(
        expect.objectContaining({ code: 'SIGNED_DATA_MALFORMED' }),
      );
    }
  });

  it('never crashes on random mutations: each is parsed or refused with a code', () => {
    for (let i = 0; i < 300; i++) {
      const m = Buffer.from(der);
      m[(i * 7919) % m.length] = (i * 31) & 0xff;
      try {
        parseSignedData(m);
      } catch (error) {
        expect(error).toMatchObject({ code: 'SIGNED_DATA_MALFORMED' });
      }
    }
  });
});
