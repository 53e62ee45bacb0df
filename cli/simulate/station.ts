import type { ReportAnswer } from '../../api/index.ts';
import type { Schnellmeldung } from '../../election/index.ts';

/**
 * One simulated kit's cryptographic side: everything that needs the station's key or the
 * election's trust anchors, implemented with pki's public API (pki-station.ts). The simulator's
 * protocol and bookkeeping only see this interface, so they are tested without a PKI.
 */
export type Station = {
  /** the bundle's id (its directory name); equals the precinct for genuine kits */
  readonly stationId: string;
  /** the precinct the certificate binds this station to */
  readonly precinctId: string;
  /** the current TOTP code of the Wahlvorsteher's token */
  totp(now: Date): Promise<string>;
  /** proof of possession for a session challenge (pki signSessionChallenge) */
  proveSession(challenge: string): Promise<{ certificateChain: string[]; signature: string }>;
  /** signs and encrypts a tally (pki sealMeldung); the envelope JSON text as sent */
  seal(tally: Schnellmeldung, now: Date): Promise<string>;
  /**
   * What a rogue kit would do: sign and encrypt a tally for ANOTHER precinct with this station's
   * key. sealMeldung refuses that, so this uses pki's lower-level signing and encryption.
   */
  sealForeign(tally: Schnellmeldung, now: Date): Promise<string>;
  /**
   * Verifies a receipt and that it is the receipt for this report, with the HTTP contract's
   * check the kit uses too (api checkReportReceipt): signature and chain, precinct, contest,
   * revision, the tally's hash, the envelope's hash (or, for a repeat, an earlier envelope of the
   * same content), sequence and receipt code. Returns a problem description, or undefined when
   * everything matches.
   */
  checkReceipt(
    answer: ReportAnswer,
    expected: { readonly tally: Schnellmeldung; readonly envelope: string },
    now: Date,
  ): Promise<string | undefined>;
};

export type StationSource = {
  /** loads (and unlocks) a genuine station's bundle */
  genuine(stationId: string): Promise<Station>;
  /** loads a bundle from the revoked-kits directory */
  revoked(stationId: string): Promise<Station>;
  /** releases what the source holds (worker threads) */
  close?(): Promise<void>;
};
