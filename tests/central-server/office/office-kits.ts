import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBundle } from '../../../pki/bundle.ts';
import { decryptPrivateKey } from '../../../pki/key-encryption.ts';
import { sealMeldung } from '../../../pki/meldung.ts';
import type { Replacement } from '../../../central-server/office/actions/index.ts';
import type { Kit } from '../fixture.ts';

/**
 * What the Wahlvorsteher does with a replacement kit: read the passphrase and the TOTP secret
 * from the sealed letter the office printed, and unlock the key in the new bundle.
 */
export async function kitFromReplacement(pkiDir: string, replacement: Replacement): Promise<Kit> {
  const letter = readFileSync(replacement.letter, 'utf8');
  const words = /<p class="pass">([^<]*)<\/p>/.exec(letter)?.[1];
  const secret = /secret=([A-Z2-7]+)/.exec(letter)?.[1];
  if (words === undefined || secret === undefined) throw new Error('letter without secrets');
  const passphrase = words
    .split('&nbsp;')
    .map((w) => w.trim())
    .filter(Boolean)
    .join('-');
  const now = new Date();
  const rootPem = readFileSync(join(pkiDir, 'root-ca.pem'), 'utf8');
  const bundle = openBundle(readFileSync(replacement.bundle), rootPem, now);
  const key = await decryptPrivateKey(bundle.content.station.encryptedKey, passphrase);
  return {
    precinctId: replacement.precinctId,
    key,
    chain: [bundle.station.der, bundle.issuing.der],
    totpSecret: secret,
    seal: (t, at = new Date()) =>
      sealMeldung(t, {
        stationKey: key,
        stationCertificate: bundle.station,
        chain: [bundle.issuing],
        recipientCertificate: bundle.reportEncryption,
        now: at,
      }),
  };
}
