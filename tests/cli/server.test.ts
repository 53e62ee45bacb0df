import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('wahlkoffer server', () => {
  it('prints "listening on http://HOST:PORT", serves, and stops cleanly on SIGTERM', async () => {
    const db = join(office.dir, 'cli.db');
    const proc = run([
      'server',
      '--pki',
      office.pkiDir,
      '--election',
      office.electionFile,
      '--db',
      db,
      '--port',
      '0',
    ]);
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no listening line:\n${proc.out()}\n${proc.err()}`)),
        30_000,
      );
      proc.child.stdout.on('data', () => {
        const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(proc.out());
        if (match !== null) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    const health = (await (await fetch(`${url}/healthz`)).json()) as { status: string };
    expect(health.status).toBe('ok');
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(existsSync(db)).toBe(true);
  });

  it('fails fast with exit code 2 and names every missing or wrong setting', async () => {
    const proc = run(['server', '--port', 'seventy']);
    expect(await proc.exited).toBe(2);
    expect(proc.err()).toMatch(/--pki/);
    expect(proc.err()).toMatch(/--election/);
    expect(proc.err()).toMatch(/--port/);
  });

  it('exits 1 with a message when the PKI directory is unusable', async () => {
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
    expect(proc.err()).toMatch(/server did not start/);
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
