import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundleContentSchema } from '../../../pki/bundle.ts';
import { openBundle, openCa, parseSignedData, signBundle } from '../../../pki/index.ts';
import {
  installBundle,
  kitFiles,
  loadInstalledKit,
} from '../../../koffer-app/main/provisioning/provisioning.ts';
import {
  groupFingerprint,
  normaliseFingerprint,
} from '../../../koffer-app/main/provisioning/fingerprint.ts';
import { createBundleSource } from '../../../koffer-app/main/provisioning/candidates.ts';
import { createKitOffice, type KitOffice } from '../office.ts';

let office: KitOffice;
let foreign: KitOffice;
let scratch: string;
let bundle: Buffer;

beforeAll(async () => {
  office = await createKitOffice({ name: 'ours' });
  foreign = await createKitOffice({ name: 'foreign' });
  scratch = mkdtempSync(join(tmpdir(), 'kit-provisioning-'));
  bundle = readFileSync(office.kits.get('P1')!.bundleFile);
}, 120_000);
afterAll(() => {
  office.cleanup();
  foreign.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

let n = 0;
const freshDir = () => join(scratch, `kit-${++n}`);

async function install(bytes: Uint8Array, typed: string, now = new Date()) {
  const dataDir = freshDir();
  try {
    const kit = await installBundle({ dataDir, bundleBytes: bytes, typedFingerprint: typed, now });
    return { dataDir, kit, code: undefined };
  } catch (error) {
    return { dataDir, kit: undefined, code: (error as { code?: string }).code };
  }
}

describe('provisioning a kit from a bundle', () => {
  it('installs with the root fingerprint typed from the letter, in any grouping', async () => {
    const typed = groupFingerprint(office.rootFingerprint).toUpperCase().replace(/ /g, ':');
    const { dataDir, kit } = await install(bundle, typed);
    expect(kit?.station).toMatchObject({ precinctId: 'P1', precinctNumber: '0101' });
    const again = await loadInstalledKit(dataDir, new Date());
    expect(again?.config.rootFingerprint).toBe(office.rootFingerprint);
    expect(again?.station.precinctName).toBe('Schule Nord');
  });

  it('accepts the fingerprint exactly as the Wahlvorsteher’s letter prints it', async () => {
    const letter = readFileSync(join(office.dir, 'letters', 'P1.html'), 'utf8');
    const printed = /<p class="fp">([^<]*)<br>([^<]*)<\/p>/.exec(letter);
    expect(printed).not.toBeNull();
    const typed = `${printed![1]}\n${printed![2]}`;
    expect(normaliseFingerprint(typed)).toBe(office.rootFingerprint);
    const { kit } = await install(bundle, typed);
    expect(kit?.station.precinctId).toBe('P1');
  });

  it('refuses a second bundle once provisioned (ALREADY_PROVISIONED)', async () => {
    const { dataDir } = await install(bundle, office.rootFingerprint);
    await expect(
      installBundle({
        dataDir,
        bundleBytes: readFileSync(office.kits.get('P2')!.bundleFile),
        typedFingerprint: office.rootFingerprint,
        now: new Date(),
      }),
    ).rejects.toMatchObject({ code: 'ALREADY_PROVISIONED' });
  });

  describe('refuses, and writes nothing', () => {
    it('a fingerprint that is not 64 hex digits (ROOT_FINGERPRINT_MALFORMED)', async () => {
      const r = await install(bundle, office.rootFingerprint.slice(0, 40));
      expect(r.code).toBe('ROOT_FINGERPRINT_MALFORMED');
      expect(existsSync(kitFiles(r.dataDir).config)).toBe(false);
    });

    it('a bundle whose root is not the one on the letter (ROOT_FINGERPRINT_MISMATCH)', async () => {
      const theirs = readFileSync(foreign.kits.get('P1')!.bundleFile);
      const r = await install(theirs, office.rootFingerprint);
      expect(r.code).toBe('ROOT_FINGERPRINT_MISMATCH');
      expect(existsSync(kitFiles(r.dataDir).bundle)).toBe(false);
    });

    it('a foreign bundle that carries our root but is signed by another office (BUNDLE_FOREIGN)', async () => {
      const theirCa = await openCa(foreign.pkiDir, 'test ca passphrase');
      const theirs = openBundle(
        readFileSync(foreign.kits.get('P1')!.bundleFile),
        undefined,
        new Date(),
      );
      const content = BundleContentSchema.parse({
        ...theirs.content,
        ca: { ...theirs.content.ca, root: office.rootPem },
      });
      const forged = signBundle(
        content,
        { ...theirCa.provisioning, chain: [theirCa.issuing.certificate] },
        new Date(),
      );
      const r = await install(forged, office.rootFingerprint);
      expect(r.code).toBe('BUNDLE_FOREIGN');
    });

    it('a tampered bundle (BUNDLE_SIGNATURE_INVALID)', async () => {
      const file = JSON.parse(bundle.toString('utf8')) as { format: string; signedData: string };
      const der = Buffer.from(file.signedData, 'base64');
      const content = parseSignedData(der).content;
      const at = der.indexOf(content.subarray(0, 64));
      const text = content.toString('utf8');
      // give the kit another precinct number: same length, so the DER stays well formed
      const changed = Buffer.from(text.replace('"number":"0101"', '"number":"0102"'), 'utf8');
      expect(changed.equals(content)).toBe(false);
      changed.copy(der, at);
      const tampered = JSON.stringify({ ...file, signedData: der.toString('base64') });
      const r = await install(Buffer.from(tampered), office.rootFingerprint);
      expect(r.code).toBe('BUNDLE_SIGNATURE_INVALID');
    });

    it('an unsigned bundle: the bare content without its CMS (BUNDLE_MALFORMED)', async () => {
      const file = JSON.parse(bundle.toString('utf8')) as { signedData: string };
      const content = parseSignedData(Buffer.from(file.signedData, 'base64')).content;
      expect((await install(content, office.rootFingerprint)).code).toBe('BUNDLE_MALFORMED');
    });

    it('an unsigned bundle: the wrapper around plain content (BUNDLE_SIGNATURE_INVALID)', async () => {
      const file = JSON.parse(bundle.toString('utf8')) as { format: string; signedData: string };
      const content = parseSignedData(Buffer.from(file.signedData, 'base64')).content;
      const unsigned = JSON.stringify({ ...file, signedData: content.toString('base64') });
      const r = await install(Buffer.from(unsigned), office.rootFingerprint);
      expect(r.code).toBe('BUNDLE_SIGNATURE_INVALID');
    });

    it('a file that is no bundle at all (BUNDLE_MALFORMED)', async () => {
      const r = await install(Buffer.from('PK\u0003\u0004 not a bundle'), office.rootFingerprint);
      expect(r.code).toBe('BUNDLE_MALFORMED');
    });

    it('an expired bundle (BUNDLE_EXPIRED)', async () => {
      const inTwoYears = new Date(Date.now() + 2 * 366 * 86_400_000);
      const r = await install(bundle, office.rootFingerprint, inTwoYears);
      expect(r.code).toBe('BUNDLE_EXPIRED');
    });
  });

  it('refuses to start from an installed bundle that was changed on disk', async () => {
    const { dataDir } = await install(bundle, office.rootFingerprint);
    writeFileSync(kitFiles(dataDir).bundle, readFileSync(foreign.kits.get('P1')!.bundleFile));
    await expect(loadInstalledKit(dataDir, new Date())).rejects.toMatchObject({
      code: 'ROOT_FINGERPRINT_MISMATCH',
    });
  });

  it('normalises what a poll worker types', () => {
    const fp = office.rootFingerprint;
    expect(normaliseFingerprint(`  ${groupFingerprint(fp)}\n`)).toBe(fp);
    expect(() => normaliseFingerprint(`${fp}0`)).toThrow(/fingerprint/);
  });
});

describe('bundle candidates', () => {
  it('offers the --bundle files and bundles on removable media by id, never by path', async () => {
    const media = join(scratch, 'media');
    const stick = join(media, 'usb', 'WAHL');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(stick, { recursive: true });
    writeFileSync(join(stick, 'bundle-P2.json'), readFileSync(office.kits.get('P2')!.bundleFile));
    writeFileSync(join(stick, 'notes.txt'), 'x');
    const source = createBundleSource({
      files: [office.kits.get('P1')!.bundleFile, join(scratch, 'missing.json')],
      mediaDirs: [media, join(scratch, 'no-such-dir')],
    });
    const list = await source.list();
    expect(list.map((c) => c.label).sort()).toEqual(['P1/bundle.json', 'WAHL/bundle-P2.json']);
    expect(JSON.stringify(list)).not.toContain(scratch);
    expect(await source.resolve(list[0]!.id)).toMatch(/bundle/);
    await expect(source.resolve('b-0000000000000000')).rejects.toMatchObject({
      code: 'BUNDLE_NOT_FOUND',
    });
  });
});
