import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firstUrnenwahlbezirke, generateElection, onDate } from '../../election/index.ts';
import { findFreePort } from '../../cli/demo/workspace.ts';
import { guideCodeBlocks, runGuide, stopAllBlocks } from './guide-runner.ts';

const GUIDE = 'docs/guides/office.md';
const sandbox = mkdtempSync(path.join(tmpdir(), 'wk-office-guide-'));
let nginx: ChildProcess | undefined;
afterAll(async () => {
  await stopAllBlocks();
  if (nginx !== undefined && nginx.exitCode === null) {
    const exited = new Promise((resolve) => nginx!.once('exit', resolve));
    nginx.kill('SIGQUIT');
    await exited;
  }
  rmSync(sandbox, { recursive: true, force: true });
});

/**
 * The machine's nginx, started (unprivileged, in the foreground) with the guide's own site
 * configuration block inside a minimal main configuration: only its paths and ports are
 * replaced, as the office's would be by its own.
 */
async function startGuideNginx(
  home: string,
  ports: { readonly nginx: number; readonly server: number },
): Promise<void> {
  const [site] = guideCodeBlocks(GUIDE, 'nginx');
  if (site === undefined) throw new Error(`${GUIDE} has no nginx block`);
  const replaced = site
    .split('/srv/wahlkoffer')
    .join(path.join(home, 'srv', 'wahlkoffer'))
    .replace('listen 443 ssl;', `listen 127.0.0.1:${ports.nginx} ssl;`)
    .replace('http://127.0.0.1:8080', `http://127.0.0.1:${ports.server}`);
  const dir = path.join(sandbox, 'nginx');
  mkdirSync(path.join(dir, 'tmp'), { recursive: true });
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `worker_processes 1;\ndaemon off;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log warn;\n` +
      `events { worker_connections 64; }\nhttp {\n  access_log off;\n` +
      ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
        .map((t) => `  ${t}_temp_path ${dir}/tmp/${t};\n`)
        .join('') +
      `${replaced}\n}\n`,
  );
  nginx = spawn('/usr/sbin/nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf')], {
    stdio: 'ignore',
  });
  // ready when it accepts TLS connections on its port
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${ports.nginx}/`).then(
      () => true,
      () => false,
    );
    if (ok || nginx.exitCode !== null || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (nginx.exitCode !== null)
    throw new Error('nginx did not start with the guide’s configuration');
}

/**
 * What the office has before the guide begins: its own election definition (here a small
 * generated one, held today) and the mounted CA stick.
 */
function officeMachine(home: string): void {
  const srv = path.join(home, 'srv', 'wahlkoffer');
  mkdirSync(srv, { recursive: true });
  mkdirSync(path.join(home, 'media', 'ca-stick'), { recursive: true });
  const today = new Date().toISOString().slice(0, 10);
  const election = onDate(firstUrnenwahlbezirke(generateElection('munich-kw2020', 3), 2), today);
  writeFileSync(path.join(srv, 'election.json'), JSON.stringify(election.definition));
}

describe('docs/guides/office.md', () => {
  it('runs as written: rehearsal, ceremony, election night (direct HTTPS, and behind the guide’s nginx), a stolen kit, the auditors’ files', async () => {
    const home = path.join(sandbox, 'home');
    officeMachine(home);
    const port = String(await findFreePort());
    const ports = { nginx: await findFreePort(), server: await findFreePort() };
    const runs = await runGuide({
      guide: GUIDE,
      sandbox,
      hooks: [{ before: 'https://wahl.example.de:', run: () => startGuideNginx(home, ports) }],
      substitutions: [
        // the office machine's folders, inside the sandbox
        { from: '/srv/wahlkoffer', to: '$HOME/srv/wahlkoffer' },
        { from: '/media/ca-stick', to: '$HOME/media/ca-stick' },
        // free ports instead of the guide's 8443 (HTTPS), 8080 (behind nginx) and 443 (nginx),
        // and loopback instead of every interface
        { from: '8443', to: port },
        { from: '--port 8080', to: `--port ${ports.server}` },
        { from: '--host 0.0.0.0', to: '--host 127.0.0.1' },
        // wahl.example.de is nginx on loopback for curl
        {
          from: 'https://wahl.example.de/healthz',
          to: `--resolve wahl.example.de:${ports.nginx}:127.0.0.1 https://wahl.example.de:${ports.nginx}/healthz`,
        },
        // small and cheap: two districts instead of twenty, the test key derivation
        { from: '--urnenwahlbezirke 20', to: '--urnenwahlbezirke 2' },
        { from: 'pki init', to: 'pki init --insecure-test-kdf' },
      ],
    });
    expect(runs.length).toBeGreaterThanOrEqual(10);
  }, 600_000);
});
