import { createHash } from 'node:crypto';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readSecrets } from '../simulate/inputs.ts';
import type { StationSecrets } from '../simulate/inputs.ts';
import { mustRunWahlkoffer } from './run-cli.ts';
import type { DemoWorkspace } from './workspace.ts';

/**
 * The stolen-kit scenario, done as the office would do it: the old kit's bundle is kept aside
 * (in the thief's hands: `revoked-kits/`), a replacement is issued for the same precinct, and
 * the old certificate is revoked (`pki revoke`, which rewrites crl.pem). The precinct still
 * reports with its new kit, so the totals stay complete; the stolen kit must be refused with
 * CERT_REVOKED. Returns the precinct ids whose old kits were revoked.
 */
export async function prepareStolenKit(
  ws: DemoWorkspace,
  count: number,
  seed: string,
): Promise<string[]> {
  const secrets = await readSecrets(ws.secretsFile);
  const chosen = Object.keys(secrets)
    .map((id) => ({
      id,
      rank: createHash('sha256').update(`${seed}\u0000stolen:${id}`).digest('hex'),
    }))
    .sort((a, b) => (a.rank < b.rank ? -1 : 1))
    .slice(0, count)
    .map((x) => x.id);
  const stolenSecrets: StationSecrets = {};
  await mkdir(ws.revokedDir, { recursive: true });
  for (const precinctId of chosen) {
    await cp(path.join(ws.bundlesDir, precinctId), path.join(ws.revokedDir, precinctId), {
      recursive: true,
    });
    stolenSecrets[precinctId] = secrets[precinctId]!;
    const office = ['--dir', ws.pkiDir, '--ca-passphrase-file', ws.caPassphraseFile];
    // Revoke first (reason keyCompromise: the key is in a thief's hands), then issue the
    // replacement kit; the server reads the new crl.pem and station register at start.
    await mustRunWahlkoffer([
      'pki',
      'revoke',
      ...office,
      '--precinct',
      precinctId,
      '--reason',
      'keyCompromise',
    ]);
    const replacementSecrets = path.join(ws.dir, `replacement-${precinctId}.json`);
    await mustRunWahlkoffer([
      'pki',
      'issue',
      ...office,
      '--precinct',
      precinctId,
      '--out',
      ws.bundlesDir,
      '--letters',
      ws.lettersDir,
      '--reveal-secrets',
      replacementSecrets,
    ]);
    Object.assign(secrets, await readSecrets(replacementSecrets));
  }
  await writeFile(ws.revokedSecretsFile, `${JSON.stringify(stolenSecrets, null, 1)}\n`, {
    mode: 0o600,
  });
  await writeFile(ws.secretsFile, `${JSON.stringify(secrets, null, 1)}\n`, { mode: 0o600 });
  return chosen;
}
