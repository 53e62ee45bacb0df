import { mustRunWahlkoffer } from './run-cli.ts';
import { prepareStolenKit } from './stolen-kit.ts';
import { writeCaPassphrase, type DemoWorkspace } from './workspace.ts';
import type { DemoOptions } from './demo.ts';

/**
 * The office's work before the night, as the office would do it with the `wahlkoffer` command:
 * the election, the PKI ceremony (the server URL is where the kits will connect: the server, or
 * the load balancer in front of several), every station issued, and a stolen kit if asked.
 */
export async function prepare(
  ws: DemoWorkspace,
  options: DemoOptions,
  port: number,
  step: (s: string) => void,
): Promise<void> {
  const forward = (text: string): void => {
    for (const line of text.split(/[\r\n]+/))
      if (line.trim() !== '') options.log(`    ${line.trim()}`);
  };
  step(`generating the election (${options.shape}, seed ${options.seed})`);
  await mustRunWahlkoffer([
    'election',
    'generate',
    '--shape',
    options.shape,
    '--seed',
    String(options.seed),
    // the election is held tonight: certificates and sessions are valid around election day
    '--date',
    'today',
    ...(options.urnen === undefined ? [] : ['--urnenwahlbezirke', String(options.urnen)]),
    '--out',
    ws.dir,
  ]);
  step(
    'PKI ceremony: root and issuing CA, server certificates (CA passphrase written to a file, not shown)',
  );
  await writeCaPassphrase(ws.caPassphraseFile);
  await mustRunWahlkoffer([
    'pki',
    'init',
    '--dir',
    ws.pkiDir,
    '--election',
    ws.electionFile,
    '--ca-passphrase-file',
    ws.caPassphraseFile,
    '--server-url',
    `http://${options.host}:${port}`,
    // The demo writes every station passphrase to station-secrets.json beside the bundles, so
    // a slow KDF protects nothing here; the production cost (scrypt N=2^17, ~0.4 s per key)
    // would add ~8 minutes of CPU (docs/decisions/0041-demo-orchestration.md).
    '--insecure-test-kdf',
  ]);
  step('issuing a certificate, bundle and letter for every station');
  await mustRunWahlkoffer(
    [
      'pki',
      'issue',
      '--dir',
      ws.pkiDir,
      '--ca-passphrase-file',
      ws.caPassphraseFile,
      '--all',
      '--out',
      ws.bundlesDir,
      '--letters',
      ws.lettersDir,
      '--reveal-secrets',
      ws.secretsFile,
    ],
    { onStderr: forward },
  );
  if (options.faults.revoked > 0) {
    step(
      `a kit is stolen: keeping its old bundle, issuing a replacement and revoking the old certificate (${options.faults.revoked}x)`,
    );
    await prepareStolenKit(ws, options.faults.revoked, String(options.seed));
  }
}
