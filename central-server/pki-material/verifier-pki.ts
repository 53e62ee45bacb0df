import { createHash, type KeyObject } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import {
  PkiError,
  loadVerifierMaterial,
  openMeldung,
  pkiPaths,
  preloadCertificates,
  type Trust,
} from '../../pki/index.ts';
import type { Logger } from '../logger.ts';
import type { PreloadProgress, ServerPki } from '../ports.ts';
import { CrlFollower } from './crl-follower.ts';

/** What a verification worker uses of the server's PKI port. */
export type VerifierPki = Pick<ServerPki, 'openEnvelope'> &
  Required<Pick<ServerPki, 'preloadStationCertificates'>>;

/**
 * The envelope-opening half of the server's PKI, for a verification worker: decryption key,
 * trust and the CRL follower (`loadVerifierMaterial`). No signing key: receipts are signed in a
 * thread of their own (sign-worker-main.ts), so the thread that parses hostile envelopes cannot
 * sign. Unlike `loadServerPki` it builds no station register and reads no TOTP secret (~90 MB of
 * heap at 90,652 stations, decision 0067).
 */
export async function loadVerifierPki(
  pkiDir: string,
  electionId: string,
  now: Date,
  logger?: Logger,
): Promise<VerifierPki> {
  const files = pkiPaths(pkiDir);
  const material = await loadVerifierMaterial(pkiDir, now);
  if (material.electionId !== electionId) {
    throw new PkiError(
      'STORE_MALFORMED',
      `the PKI is for ${material.electionId}, the election is ${electionId}`,
    );
  }
  const crl = new CrlFollower(
    { file: files.crl, read: material.reloadCrl, ...(logger === undefined ? {} : { logger }) },
    material.crl,
    (await stat(files.crl)).mtimeMs,
    now,
  );
  const { decryptionKey, trust, currentSerials } = material;
  return {
    openEnvelope: envelopeOpener(decryptionKey, trust, crl),
    preloadStationCertificates: async (shouldStop, progress) =>
      preloadIssued(trust, files, await currentSerials(), shouldStop, progress),
  };
}

export function envelopeOpener(
  decryptionKey: KeyObject,
  trust: Trust,
  crl: CrlFollower,
): ServerPki['openEnvelope'] {
  return async (body, at) => {
    const opened = await openMeldung(body, {
      decryptionKey,
      trust,
      crl: await crl.current(at),
      now: at,
    });
    return {
      ...opened,
      signedDataHash: createHash('sha256').update(opened.signedData).digest('hex'),
    };
  };
}

/**
 * Verifies the given stations' certificates (`<pki>/issued/<serial>.pem`) into the trust's cache,
 * one file at a time; returns how many were accepted. `progress` hears every 1,000 files read and,
 * once, `done` at the end (also when stopped early).
 */
export async function preloadIssued(
  trust: Trust,
  files: { readonly issued: (serial: string) => string },
  serials: readonly string[],
  shouldStop: () => boolean,
  progress: (p: PreloadProgress) => void = () => undefined,
): Promise<number> {
  let loaded = 0;
  let read = 0;
  const of = serials.length;
  for (const serial of serials) {
    if (shouldStop()) break;
    if (read > 0 && read % 1000 === 0) progress({ read, of, done: false });
    read += 1;
    const pem = await readFile(files.issued(serial), 'utf8').catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    });
    if (pem === undefined) continue;
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    loaded += preloadCertificates(trust, [der]);
  }
  progress({ read, of, done: true });
  return loaded;
}
