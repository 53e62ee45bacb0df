import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StationClient } from '../../api/index.ts';
import { createOffice, type Office } from '../central-server/fixture.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'wahlkoffer.js');

function run(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, exited, out: () => stdout, err: () => stderr };
}

let office: Office;
beforeAll(async () => {
  office = await createOffice();
});
afterAll(() => office.cleanup());

const serverArgs = (db: string, port: string, plainHttp = true) => [
  'server',
  ...(plainHttp ? ['--plain-http'] : []),
  '--pki',
  office.pkiDir,
  '--election',
  office.electionFile,
  '--db',
  db,
  '--port',
  port,
];

function listening(proc: ReturnType<typeof run>): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no listening line:\n${proc.out()}\n${proc.err()}`)),
      60_000,
    );
    proc.child.stdout.on('data', () => {
      const match = /^listening on (https?:\/\/127\.0\.0\.1:\d+)$/m.exec(proc.out());
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
}

/** A failed start says what to do in one line (German / English), without a stack trace. */
function expectOneLine(stderr: string, text: RegExp): void {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^wahlkoffer: .+ \/ .+$/);
  expect(lines[0]).toMatch(text);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('wahlkoffer server', () => {
  it('serves HTTPS with the PKI’s certificate: prints "listening on https://HOST:PORT", answers a client pinning the root, stops cleanly on SIGTERM', async () => {
    const db = join(office.dir, 'cli.db');
    const proc = run(serverArgs(db, '0', false));
    const url = await listening(proc);
    expect(url).toMatch(/^https:/);
    const client = new StationClient({
      serverUrl: url,
      rootCaPem: readFileSync(join(office.pkiDir, 'root-ca.pem'), 'utf8'),
    });
    expect((await client.health()).status).toBe('ok');
    await client.close();
    // the office's PKI told the kits http://127.0.0.1:8080: the operator is warned at start
    expect(proc.out()).toMatch(/^kits reach http:\/\/127\.0\.0\.1:8080$/m);
    expect(proc.err()).toMatch(/WARNING[\s\S]*serves HTTPS/);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(existsSync(db)).toBe(true);
  });

  it('serves plain HTTP only with --plain-http', async () => {
    const proc = run(serverArgs(join(office.dir, 'plain.db'), '0'));
    const url = await listening(proc);
    expect(url).toMatch(/^http:/);
    const health = (await (await fetch(`${url}/healthz`)).json()) as { status: string };
    expect(health.status).toBe('ok');
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });

  it('fails fast with exit code 2 and names every missing or wrong setting', async () => {
    const proc = run(['server', '--port', 'seventy']);
    expect(await proc.exited).toBe(2);
    expectOneLine(proc.err(), /--pki.*--election.*--port/);
  });

  it('exits 1 with one line when the PKI directory is unusable', async () => {
    const proc = run([
      'server',
      '--pki',
      join(office.dir, 'nope'),
      '--election',
      office.electionFile,
      '--db',
      join(office.dir, 'x.db'),
      '--port',
      '0',
    ]);
    expect(await proc.exited).toBe(1);
    expectOneLine(proc.err(), /--pki/);
  });
});

describe('a second server', () => {
  let first: ReturnType<typeof run>;
  let port: string;
  beforeAll(async () => {
    first = run(serverArgs(join(office.dir, 'first.db'), '0'));
    port = new URL(await listening(first)).port;
  });
  afterAll(async () => {
    first.child.kill('SIGTERM');
    await first.exited;
  });

  it('on the same port exits 1 at once, saying the port is in use', async () => {
    const second = run(serverArgs(join(office.dir, 'second.db'), port));
    expect(await second.exited).toBe(1);
    expectOneLine(
      second.err(),
      new RegExp(`Port 127\\.0\\.0\\.1:${port} ist schon belegt.*--port`),
    );
    expect(existsSync(join(office.dir, 'second.db'))).toBe(false);
  });

  it('on the same database exits 1 at once, saying another server holds it', async () => {
    const second = run(serverArgs(join(office.dir, 'first.db'), '0'));
    expect(await second.exited).toBe(1);
    expectOneLine(second.err(), /anderen Wahlkoffer-Server.*another Wahlkoffer server/);
  });

  it('keeps the database from being migrated under it', async () => {
    const migrate = run(['db', 'migrate', '--db', join(office.dir, 'first.db')]);
    expect(await migrate.exited).toBe(1);
    expectOneLine(migrate.err(), /running server/);
  });
});

describe('wahlkoffer db migrate', () => {
  it('applies the migrations once and then reports the database up to date', async () => {
    const db = join(office.dir, 'migrate.db');
    const first = run(['db', 'migrate', '--db', db]);
    expect(await first.exited).toBe(0);
    expect(first.out()).toMatch(/applied \d{14}_init/);
    const second = run(['db', 'migrate', '--db', db]);
    expect(await second.exited).toBe(0);
    expect(second.out()).toMatch(/up to date/);
  });
});
