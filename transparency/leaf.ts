import { canonicalJson } from '../election/index.ts';

/**
 * The leaf record of an accepted report (docs/decisions/0091): what the log commits to, as
 * canonical JSON (RFC 8785), hashed as an RFC 9162 leaf. One place decides it; the server
 * writes it, the kit and the simulator rebuild it from their receipt to check their proof,
 * and `audit verify` rebuilds it from the exported report.
 *
 * A kit's report names the hash of the station's CMS SignedData (DER), so the leaf pins the
 * very signature an auditor checks. A phoned-in report (decisions/0089) has no station
 * signature: its leaf says `source: "telefonisch"` and has no `signedDataHash`, so it can never
 * be mistaken for a signed one.
 */
export const LEAF_FORMAT = 'wahlkoffer.logleaf/1' as const;

export const LEAF_SOURCES = ['kit', 'telefonisch'] as const;

type LeafCommon = {
  readonly electionId: string;
  readonly precinctId: string;
  readonly contestId: string;
  readonly revision: number;
  /** the receipt sequence number */
  readonly sequence: number;
  /** the server time of acceptance (the receipt's serverTime), ISO 8601 UTC */
  readonly serverTime: string;
  /** SHA-256 (hex) of the signed tally bytes (the receipt's contentHash) */
  readonly tallyHash: string;
};

export type ReportLeafFields =
  | (LeafCommon & { readonly source: 'kit'; readonly signedDataHash: string })
  | (LeafCommon & { readonly source: 'telefonisch' });

/** The canonical leaf text. Only the named fields enter it, whatever else the caller holds. */
export function reportLeaf(fields: ReportLeafFields): string {
  const common = {
    contestId: fields.contestId,
    electionId: fields.electionId,
    format: LEAF_FORMAT,
    precinctId: fields.precinctId,
    revision: fields.revision,
    sequence: fields.sequence,
    serverTime: fields.serverTime,
    source: fields.source,
    tallyHash: fields.tallyHash,
  };
  return canonicalJson(
    fields.source === 'kit' ? { ...common, signedDataHash: fields.signedDataHash } : common,
  );
}

const encoder = new TextEncoder();

/** The leaf's bytes as hashed (UTF-8 of the canonical text). */
export const leafBytes = (leaf: string): Uint8Array => encoder.encode(leaf);
