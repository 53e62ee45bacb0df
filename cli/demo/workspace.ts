import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Where the demo keeps what it makes. Everything the office would have, in one folder. */
export type DemoWorkspace = {
  readonly dir: string;
  readonly temporary: boolean;
  readonly electionFile: string;
  readonly truthFile: string;
  readonly pkiDir: string;
  readonly caPassphraseFile: string;
  readonly bundlesDir: string;
  /** the sealed letters (passphrase, TOTP), apart from the bundles */
  readonly lettersDir: string;
  readonly secretsFile: string;
  /** the stolen kit's old bundle (revoked), with its own secrets file */
  readonly revokedDir: string;
  readonly revokedSecretsFile: string;
  readonly dbFile: string;
  /** the public results: a link to the newest snapshot (`wahlkoffer server --publish-dir`) */
  readonly publishDir: string;
  /** the demo's office users with passwords and TOTP secrets (owner-only, demo only) */
  readonly officeUsersFile: string;
};

/** `--dir` keeps everything there (it must not already hold a demo); without it, a fresh temp folder. */
export async function createWorkspace(dir: string | undefined): Promise<DemoWorkspace> {
  let root: string;
  if (dir === undefined) {
    root = await mkdtemp(path.join(os.tmpdir(), 'wahlkoffer-demo-'));
  } else {
    root = path.resolve(dir);
    if (existsSync(path.join(root, 'pki'))) {
      throw new Error(`${root} already holds a demo (pki/ exists); choose an empty --dir`);
    }
    await mkdir(root, { recursive: true });
  }
  return {
    dir: root,
    temporary: dir === undefined,
    electionFile: path.join(root, 'election.json'),
    truthFile: path.join(root, 'truth.json'),
    pkiDir: path.join(root, 'pki'),
    caPassphraseFile: path.join(root, 'ca-passphrase.txt'),
    bundlesDir: path.join(root, 'bundles'),
    lettersDir: path.join(root, 'letters'),
    secretsFile: path.join(root, 'station-secrets.json'),
    revokedDir: path.join(root, 'revoked-kits'),
    revokedSecretsFile: path.join(root, 'revoked-kits', 'station-secrets.json'),
    dbFile: path.join(root, 'wahlkoffer.db'),
    publishDir: path.join(root, 'publication'),
    officeUsersFile: path.join(root, 'office-users.json'),
  };
}

/**
 * A fresh CA passphrase (192 random bits), written to a file readable by the owner only. It is
 * never printed: the demo tells where it is.
 */
export async function writeCaPassphrase(file: string): Promise<void> {
  await writeFile(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
}

/** A TCP port that was free a moment ago (bind to 0, read, release). */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}
