import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { SchnellmeldungSchema } from '../../election/index.ts';
import type { Schnellmeldung } from '../../election/index.ts';
import { SimulationError } from './error.ts';

/** `pki issue --reveal-secrets` output: precinct id → the sealed letter's passphrase and the token's TOTP secret. */
export const StationSecretsSchema = z.record(
  z.string().min(1),
  z.object({ passphrase: z.string().min(1), totpSecret: z.string().min(1) }),
);
export type StationSecrets = z.infer<typeof StationSecretsSchema>;

async function readJson(
  file: string,
  code: 'TRUTH_UNREADABLE' | 'SECRETS_UNREADABLE',
): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new SimulationError(code, `${file}: cannot read`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SimulationError(code, `${file}: not JSON`, { cause: error });
  }
}

/** Reads truth.json (a JSON array of Schnellmeldungen, as the generator writes it). */
export async function readTruth(file: string): Promise<Schnellmeldung[]> {
  const parsed = z.array(SchnellmeldungSchema).safeParse(await readJson(file, 'TRUTH_UNREADABLE'));
  if (!parsed.success) {
    throw new SimulationError(
      'TRUTH_UNREADABLE',
      `${file}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

export async function readSecrets(file: string): Promise<StationSecrets> {
  const parsed = StationSecretsSchema.safeParse(await readJson(file, 'SECRETS_UNREADABLE'));
  if (!parsed.success) {
    throw new SimulationError(
      'SECRETS_UNREADABLE',
      `${file}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/**
 * The bundle file of one station in a `pki issue --out` directory (`<dir>/<precinctId>/`, with
 * the bundle beside the Wahlvorsteher's letter): the file whose name contains "bundle".
 */
export async function findBundleFile(dir: string, stationId: string): Promise<string> {
  const stationDir = path.join(dir, stationId);
  let names: string[];
  try {
    names = await readdir(stationDir);
  } catch (error) {
    throw new SimulationError('BUNDLE_MISSING', `${stationDir}: no such directory`, {
      cause: error,
    });
  }
  const bundle = names.filter((n) => n.toLowerCase().includes('bundle')).sort()[0];
  if (bundle === undefined)
    throw new SimulationError('BUNDLE_MISSING', `${stationDir}: no bundle file`);
  return path.join(stationDir, bundle);
}

/** Station ids (directory names) of a bundle directory. */
export async function listStations(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}
