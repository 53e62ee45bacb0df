import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  generateElection,
  parseElectionDefinition,
  type ElectionDefinition,
  type Precinct,
  type Schnellmeldung,
} from '../../election/index.ts';
import { initPki, issueStations, openCa, parseCertificatePem, pkiPaths } from '../../pki/index.ts';

/**
 * The election office of the walkthrough, made in-process with pki's public API: a small
 * election cut from the generated Munich city election (one Urnenwahlbezirk, its
 * Briefwahlbezirk, the Oberbürgermeister contest), the PKI ceremony with the proxy's URL as the
 * server URL, and the one kit issued with what its sealed letter holds.
 */
export type WalkthroughOffice = {
  readonly definition: ElectionDefinition;
  readonly precinct: Precinct;
  readonly contestId: string;
  /** what the board counted: the generated true result, with many invalid ballots (a warning) */
  readonly counted: Readonly<Record<string, number>>;
  readonly electionFile: string;
  readonly pkiDir: string;
  readonly bundleFile: string;
  readonly passphrase: string;
  readonly totpSecret: string;
  /** the root certificate's SHA-256 as printed on the Wahlvorsteher's letter */
  readonly rootFingerprint: string;
};

const SEED = 2026;

export async function setUpWalkthroughOffice(
  dir: string,
  serverUrl: string,
  now: Date,
): Promise<WalkthroughOffice> {
  const generated = generateElection('munich-kw2020', SEED);
  const urne = generated.definition.precincts.find((p) => p.kind === 'URNE');
  if (urne === undefined) throw new Error('the generated election has no Urnenwahlbezirk');
  const keep = new Set([urne.id, ...(urne.briefwahlbezirkId ? [urne.briefwahlbezirkId] : [])]);
  let truth: Schnellmeldung | undefined;
  for (const t of generated.tallies()) {
    if (t.precinctId === urne.id) {
      truth = t;
      break;
    }
  }
  if (truth === undefined) throw new Error('no true result for the walkthrough precinct');
  const contestId = truth.contestId;
  const definition = parseElectionDefinition({
    ...generated.definition,
    date: now.toISOString().slice(0, 10),
    precincts: generated.definition.precincts.filter((p) => keep.has(p.id)),
    contests: generated.definition.contests.filter((c) => c.id === contestId),
  });
  const electionFile = path.join(dir, 'election.json');
  await writeFile(electionFile, JSON.stringify(definition));
  const pkiDir = path.join(dir, 'pki');
  const caPassphrase = randomBytes(24).toString('base64url');
  await initPki({ dir: pkiDir, election: definition, caPassphrase, serverUrl, now });
  const ca = await openCa(pkiDir, caPassphrase);
  const bundles = path.join(dir, 'bundles');
  const {
    issued: [issued],
  } = await issueStations(ca, [urne.id], {
    outDir: bundles,
    lettersDir: path.join(dir, 'letters'),
    now,
  });
  if (issued === undefined) throw new Error('no kit issued');
  const rootPem = await readFile(pkiPaths(pkiDir).root, 'utf8');
  return {
    definition,
    precinct: urne,
    contestId,
    counted: withManyInvalid(truth.counts),
    electionFile,
    pkiDir,
    bundleFile: path.join(bundles, urne.id, 'bundle.json'),
    passphrase: issued.passphrase,
    totpSecret: issued.totpSecret,
    rootFingerprint: parseCertificatePem(rootPem).fingerprint,
  };
}

/**
 * The true count with 4 % of the ballots invalid (moved from the first candidate's votes), so
 * the invalid-share warning W.203 fires and the board must give a reason, as happens when a
 * class of ballots was marked wrongly. Every sum still adds up.
 */
function withManyInvalid(counts: Readonly<Record<string, number>>): Record<string, number> {
  const b = counts.B ?? 0;
  const moved = Math.max(0, Math.ceil(b * 0.04) - (counts.C ?? 0));
  return {
    ...counts,
    C: (counts.C ?? 0) + moved,
    D: (counts.D ?? 0) - moved,
    D1: (counts.D1 ?? 0) - moved,
  };
}
