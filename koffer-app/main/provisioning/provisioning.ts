import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { MAX_BUNDLE_BYTES, openBundle, PkiError, type OpenedBundle } from '../../../pki/index.ts';
import type { StationInfo } from '../../shared/index.ts';
import { KitError } from '../error.ts';
import { readFileIfExists, writeFileDurable } from '../storage/durable-file.ts';
import { normaliseFingerprint, sameFingerprint } from './fingerprint.ts';

/** What the kit remembers about its provisioning, next to the verified bundle. */
export const KitConfigSchema = z.strictObject({
  format: z.literal('wahlkoffer.kit/1'),
  /** SHA-256 of the election root, as typed from the letter: pinned for every later start */
  rootFingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  /** salt of the storage key (sealed-store.ts) */
  storageSalt: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/),
  installedAt: z.iso.datetime(),
});
export type KitConfig = z.infer<typeof KitConfigSchema>;

export type InstalledKit = {
  readonly config: KitConfig;
  readonly bundleBytes: Uint8Array;
  readonly bundle: OpenedBundle;
  readonly station: StationInfo;
};

export const kitFiles = (dataDir: string) => ({
  config: join(dataDir, 'kit.json'),
  bundle: join(dataDir, 'bundle.json'),
});

/**
 * Verifies a bundle against the root fingerprint from the letter: the CMS signature and every
 * certificate must chain to the bundle's root (pki openBundle), and that root must be the one
 * whose SHA-256 is printed on the letter. Today's `wahlkoffer seal` trusts the root inside the
 * bundle; the kit never does — an attacker who can write a USB stick can make a root too.
 */
export function verifyBundle(bytes: Uint8Array, rootFingerprint: string, now: Date): OpenedBundle {
  if (bytes.length > MAX_BUNDLE_BYTES) throw new PkiError('BUNDLE_MALFORMED', 'too large');
  let bundle: OpenedBundle;
  try {
    bundle = openBundle(bytes, undefined, now);
  } catch (error) {
    throw bundleRefusal(error);
  }
  if (!sameFingerprint(bundle.trust.root.fingerprint, rootFingerprint)) {
    throw new KitError('ROOT_FINGERPRINT_MISMATCH');
  }
  return bundle;
}

/** pki's refusal codes, put the way a poll worker can act on them. */
function bundleRefusal(error: unknown): unknown {
  if (!(error instanceof PkiError)) return error;
  switch (error.code) {
    case 'CERT_EXPIRED':
    case 'CRL_EXPIRED':
      return new KitError('BUNDLE_EXPIRED', error.message, { cause: error });
    case 'CERT_UNTRUSTED':
    case 'CERT_WRONG_ELECTION':
    case 'CERT_WRONG_USAGE':
    case 'CERT_REVOKED':
      return new KitError('BUNDLE_FOREIGN', error.message, { cause: error });
    case 'SIGNED_DATA_MALFORMED':
      // a wrapper without a CMS signature inside: an unsigned bundle
      return new PkiError('BUNDLE_SIGNATURE_INVALID', error.message, { cause: error });
    default:
      return error;
  }
}

export function stationInfo(bundle: OpenedBundle): StationInfo {
  const { content, election } = bundle;
  const precinct = election.precincts.find((p) => p.id === content.precinctId);
  if (precinct === undefined) throw new PkiError('BUNDLE_MALFORMED', 'precinct not in election');
  return {
    electionId: election.id,
    electionName: election.name,
    electionDate: election.date,
    precinctId: precinct.id,
    precinctNumber: precinct.number,
    precinctName: precinct.name,
    precinctKind: precinct.kind,
    contests: election.contests.map((c) => ({ id: c.id, name: c.name })),
    serverUrl: content.server.url,
  };
}

/** Installs a verified bundle: copies it into the data directory and pins the root. */
export async function installBundle(input: {
  readonly dataDir: string;
  readonly bundleBytes: Uint8Array;
  readonly typedFingerprint: string;
  readonly now: Date;
}): Promise<InstalledKit> {
  const files = kitFiles(input.dataDir);
  if ((await readFileIfExists(files.config)) !== undefined) {
    throw new KitError('ALREADY_PROVISIONED');
  }
  const rootFingerprint = normaliseFingerprint(input.typedFingerprint);
  const bundle = verifyBundle(input.bundleBytes, rootFingerprint, input.now);
  const config: KitConfig = {
    format: 'wahlkoffer.kit/1',
    rootFingerprint,
    storageSalt: randomBytes(32).toString('base64'),
    installedAt: input.now.toISOString(),
  };
  // bundle first, config last: the config's presence is what makes the kit provisioned
  await writeFileDurable(files.bundle, input.bundleBytes);
  await writeFileDurable(files.config, Buffer.from(JSON.stringify(config, null, 1)));
  return { config, bundleBytes: input.bundleBytes, bundle, station: stationInfo(bundle) };
}

/** The installed kit, verified again against the pinned root; undefined when not provisioned. */
export async function loadInstalledKit(
  dataDir: string,
  now: Date,
): Promise<InstalledKit | undefined> {
  const files = kitFiles(dataDir);
  const configBytes = await readFileIfExists(files.config);
  if (configBytes === undefined) return undefined;
  const config = parseConfig(configBytes);
  const bundleBytes = await readFileIfExists(files.bundle);
  if (bundleBytes === undefined) throw new PkiError('BUNDLE_MALFORMED', 'installed bundle missing');
  const bundle = verifyBundle(bundleBytes, config.rootFingerprint, now);
  return { config, bundleBytes, bundle, station: stationInfo(bundle) };
}

function parseConfig(bytes: Uint8Array): KitConfig {
  try {
    return KitConfigSchema.parse(JSON.parse(Buffer.from(bytes).toString('utf8')));
  } catch (error) {
    throw new KitError('OUTBOX_CORRUPT', 'kit.json', { cause: error });
  }
}
