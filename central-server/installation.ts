import { hkdfSync } from 'node:crypto';
import { StartupError } from './startup-error.ts';
import type { ServerRepository } from './storage/repository.ts';

/**
 * A check value of the server's session key material (`<pki>/server/secret-store.key`): HKDF with
 * a label of its own, so it reveals nothing about the challenge and token keys derived from the
 * same material under other labels (RFC 5869 §3.2).
 */
export function keyCheck(material: Uint8Array): string {
  return Buffer.from(
    hkdfSync('sha256', material, 'wahlkoffer', 'installation-check/v1', 32),
  ).toString('hex');
}

/**
 * Every server on one database must hold the same election and the same PKI server keys — or a
 * session token issued by one is rejected by the next, and a kit behind the load balancer fails
 * half its requests. The first server to start records both; every later start compares and
 * refuses to start on a difference (decisions/0112). Runs under the write lock.
 */
export async function checkInstallation(
  repository: Pick<ServerRepository, 'claimInstallation'>,
  expected: { readonly electionId: string; readonly sessionKeyMaterial: Uint8Array },
  now: Date,
): Promise<void> {
  const mine = { electionId: expected.electionId, keyCheck: keyCheck(expected.sessionKeyMaterial) };
  const stored = await repository.claimInstallation(mine, now);
  if (stored.electionId !== mine.electionId) {
    throw new StartupError('INSTALLATION_MISMATCH', {
      de: `Die Datenbank gehört zur Wahl ${stored.electionId}, dieser Server ist für ${mine.electionId} eingerichtet. --election und --db prüfen.`,
      en: `the database belongs to election ${stored.electionId}, this server is set up for ${mine.electionId}. Check --election and --db.`,
    });
  }
  if (stored.keyCheck !== mine.keyCheck) {
    throw new StartupError('INSTALLATION_MISMATCH', {
      de: 'Die Datenbank wird von Servern mit einem anderen PKI-Verzeichnis benutzt (anderer Schlüssel server/secret-store.key): Sitzungen gälten nur auf einem Teil der Server. Allen Servern dasselbe PKI-Verzeichnis geben (--pki).',
      en: 'the database is used by servers with another PKI directory (another server/secret-store.key): sessions would work on some servers only. Give every server the same PKI directory (--pki).',
    });
  }
}
