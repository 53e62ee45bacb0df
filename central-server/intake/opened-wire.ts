import type { Schnellmeldung } from '../../election/index.ts';
import type { OpenedReport } from './types.ts';

/**
 * An opened report as a verification worker answers it to the main thread: the two byte strings
 * the main thread stores in one buffer of their own (transferred, not copied), the verified
 * Schnellmeldung as JSON text, and the facts as plain strings and numbers. A structured clone of
 * the parsed Schnellmeldung (~30 counts, nested objects) was most of the reply's ~50 µs on the
 * worker, the busiest thread, and as much again to rebuild on the main thread; JSON text is
 * written and read by V8's fast paths.
 *
 * The text is `JSON.stringify` of the object the worker's schema check returned, so `JSON.parse`
 * gives back the same object with the same key order (the stored `acknowledgements` column is
 * JSON of it): a Schnellmeldung holds only strings, numbers, arrays and plain objects.
 */
export type OpenedWire = {
  /** the CMS SignedData (DER), then the signed Schnellmeldung bytes */
  readonly bytes: Uint8Array;
  readonly signedDataLength: number;
  readonly schnellmeldung: string;
  readonly envelopeHash: string;
  readonly contentHash: string;
  readonly signedDataHash: string;
  readonly electionId: string;
  readonly precinctId: string;
  readonly serial: string;
  readonly fingerprint: string;
  /** ms since the epoch */
  readonly signingTime: number;
};

/** The reply for an opened report, and the one buffer to transfer with it. */
export function openedToWire(opened: OpenedReport): { wire: OpenedWire; transfer: ArrayBuffer[] } {
  const { signedData, signedBytes, signer } = opened;
  // a buffer of its own: the originals are views into the decrypted plaintext (which the
  // certificate cache may still reference) or into node's shared pool
  const bytes = new Uint8Array(signedData.byteLength + signedBytes.byteLength);
  bytes.set(signedData, 0);
  bytes.set(signedBytes, signedData.byteLength);
  return {
    wire: {
      bytes,
      signedDataLength: signedData.byteLength,
      schnellmeldung: JSON.stringify(opened.schnellmeldung),
      envelopeHash: opened.envelopeHash,
      contentHash: opened.contentHash,
      signedDataHash: opened.signedDataHash,
      electionId: signer.electionId,
      precinctId: signer.precinctId,
      serial: signer.serial,
      fingerprint: signer.fingerprint,
      signingTime: opened.signingTime.getTime(),
    },
    transfer: [bytes.buffer],
  };
}

/**
 * The opened report back from its reply. The Schnellmeldung is not checked again: the worker
 * verified it (schema, canonical bytes, signature) and it never left this process.
 */
export function openedFromWire(wire: OpenedWire): OpenedReport {
  const { bytes } = wire;
  return {
    schnellmeldung: JSON.parse(wire.schnellmeldung) as Schnellmeldung,
    signedData: bytes.subarray(0, wire.signedDataLength),
    signedBytes: bytes.subarray(wire.signedDataLength),
    envelopeHash: wire.envelopeHash,
    contentHash: wire.contentHash,
    signedDataHash: wire.signedDataHash,
    signer: {
      electionId: wire.electionId,
      precinctId: wire.precinctId,
      serial: wire.serial,
      fingerprint: wire.fingerprint,
    },
    signingTime: new Date(wire.signingTime),
  };
}
