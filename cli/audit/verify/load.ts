import { readFileSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  ElectionDefinitionSchema,
  indexElection,
  type ElectionDefinition,
  type ElectionIndex,
} from '../../../election/index.ts';
import {
  PkiError,
  checkpointKeyFromCertificate,
  createTrust,
  parseCertificatePem,
  parseCrlPem,
  type CertificateInfo,
  type Crl,
  type Trust,
} from '../../../pki/index.ts';
import { parseVerifierKey, type NoteKey } from '../../../transparency/index.ts';
import { CliError } from '../../cli-error.ts';
import { EXPORT_PATHS, ExportManifestSchema, type ExportManifest } from '../format.ts';
import type { Finding } from '../findings.ts';

/** One CRL file of the history (decisions/0105): both lists as they stood when it was published. */
export type HistoricCrl = {
  readonly file: string;
  readonly number: number;
  /** thisUpdate of the issuing CA's list: from when it was in force */
  readonly from: Date;
  readonly crl: Crl;
};

/**
 * What the check of one kit report needs (reports.ts): the export's trust anchor and CRL history.
 * Each verification worker thread loads its own from the export folder (loadKitContext).
 */
export type KitContext = {
  readonly dir: string;
  readonly trust: Trust;
  readonly issuing: CertificateInfo;
  /** oldest first */
  readonly crls: readonly HistoricCrl[];
  /** the newest CRL: revocations that happened after a report was signed */
  readonly latestCrl: Crl;
};

/** What every step of the verification reads: the export's fixed parts, checked once. */
export type AuditContext = KitContext & {
  readonly manifest: ExportManifest;
  readonly election: ElectionDefinition;
  readonly index: ElectionIndex;
  /** the log's checkpoint key from its certificate (undefined when the export has none) */
  readonly checkpointKey: NoteKey | undefined;
};

/** The export cannot be read at all: exit 2, one line, no report. */
export function unreadable(what: string, cause?: unknown): CliError {
  const reason = cause instanceof Error ? `: ${cause.message}` : '';
  return new CliError(
    'UNREADABLE_INPUT',
    {
      de: `Der Export ist nicht lesbar (${what}${reason}).`,
      en: `the export cannot be read (${what}${reason}).`,
    },
    2,
    { cause },
  );
}

function text(dir: string, file: string): string {
  try {
    return readFileSync(path.join(dir, file), 'utf8');
  } catch (error) {
    throw unreadable(file, error);
  }
}

/**
 * Reads export.json, the election, the root and issuing CA and every CRL. Anything the
 * verification cannot start without is an unreadable export; a CRL that fails its signature is a
 * finding (the others still serve).
 */
export async function loadContext(dir: string, findings: Finding[]): Promise<AuditContext> {
  const manifestText = text(dir, EXPORT_PATHS.manifest);
  const manifest = parse('export.json', () => ExportManifestSchema.parse(JSON.parse(manifestText)));
  const electionText = text(dir, EXPORT_PATHS.election);
  const election = parse('election.json', () =>
    ElectionDefinitionSchema.parse(JSON.parse(electionText)),
  );
  const kit = loadKitContext(dir, findings);
  if (kit.trust.electionId !== election.id || manifest.electionId !== election.id) {
    throw unreadable(
      `election ${election.id}, root CA ${kit.trust.electionId}, export ${manifest.electionId}`,
    );
  }
  return {
    ...kit,
    manifest,
    election,
    index: indexElection(election),
    checkpointKey: await loadCheckpointKey(dir, kit.trust, kit.issuing, findings),
  };
}

/**
 * The root and issuing CA and every CRL of the export: the same for the main thread (which
 * reports a CRL that fails its signature as a finding) and for each verification worker (which
 * reads the same files and so keeps the same CRLs).
 */
export function loadKitContext(dir: string, findings: Finding[]): KitContext {
  const rootPem = text(dir, EXPORT_PATHS.rootCa);
  const issuingPem = text(dir, EXPORT_PATHS.issuingCa);
  const trust = parse('pki/root-ca.pem', () => createTrust(rootPem, issuingPem));
  const issuing = trust.intermediates[0];
  if (issuing === undefined) throw unreadable(EXPORT_PATHS.issuingCa);
  const crls = loadCrls(dir, [trust.root, issuing], findings);
  const latest = crls.at(-1);
  if (latest === undefined) throw unreadable(`${EXPORT_PATHS.crls}: no CRL`);
  return { dir, trust, issuing, crls, latestCrl: latest.crl };
}

/** A file the export may lack (undefined); any other read failure makes the export unreadable. */
export async function readOptional(dir: string, file: string): Promise<string | undefined> {
  try {
    return await readFile(path.join(dir, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unreadable(file, error);
  }
}

function parse<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw unreadable(what, error);
  }
}

function loadCrls(
  dir: string,
  cas: readonly CertificateInfo[],
  findings: Finding[],
): HistoricCrl[] {
  const folder = path.join(dir, EXPORT_PATHS.crls);
  let listed: string[];
  try {
    listed = readdirSync(folder);
  } catch (error) {
    throw unreadable(EXPORT_PATHS.crls, error);
  }
  const names = listed.filter((f) => /^crl-\d{6}\.pem$/.test(f)).sort();
  const history: HistoricCrl[] = [];
  for (const name of names) {
    const file = `${EXPORT_PATHS.crls}/${name}`;
    try {
      // signatures only: whether a list was current is decided per report, at its signing time
      const crl = parseCrlPem(text(dir, file), cas, new Date(0));
      const issuingList = crl.lists.find((l) => l.issuerFingerprint === cas[1]!.fingerprint);
      if (issuingList === undefined) throw new PkiError('CRL_INVALID', 'no list of the issuing CA');
      history.push({ file, number: issuingList.number, from: issuingList.thisUpdate, crl });
    } catch (error) {
      if (!(error instanceof PkiError)) throw error;
      findings.push({ code: 'CRL_INVALID', file, detail: `${error.code} ${error.message}` });
    }
  }
  return history.sort((a, b) => a.number - b.number);
}

/** The CRL in force at `at`: the last one published at or before it (the first if none was). */
export function crlAt(crls: readonly HistoricCrl[], at: Date): HistoricCrl {
  let chosen = crls[0]!;
  for (const c of crls) if (c.from.getTime() <= at.getTime()) chosen = c;
  return chosen;
}

/**
 * The checkpoint key: from the checkpoint-signing certificate (it must chain to the election
 * root with the checkpoint usage) and equal to checkpoint.vkey. Absent in an export without log.
 */
async function loadCheckpointKey(
  dir: string,
  trust: Trust,
  issuing: CertificateInfo,
  findings: Finding[],
): Promise<NoteKey | undefined> {
  const vkeyText = await readOptional(dir, EXPORT_PATHS.checkpointKey);
  if (vkeyText === undefined) return undefined;
  const certificatePem = text(dir, EXPORT_PATHS.checkpointCertificate);
  try {
    const vkey = parseVerifierKey(vkeyText.trim());
    const certificate = parseCertificatePem(certificatePem);
    return checkpointKeyFromCertificate(certificate, vkey.name, {
      trust,
      intermediates: [issuing.der],
      now: certificate.notBefore,
    });
  } catch (error) {
    findings.push({
      code: 'CHECKPOINT_SIGNATURE_INVALID',
      file: EXPORT_PATHS.checkpointCertificate,
      detail: `the checkpoint key is not the election office's: ${String(error)}`,
    });
    return undefined;
  }
}
