import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../cli/main.ts';
import { runWahlkoffer } from './run-wahlkoffer.ts';

const names = async (...args: string[]) =>
  (await buildProgram(['node', 'wahlkoffer', ...args])).commands.map((c) => c.name()).sort();

describe('the wahlkoffer program', () => {
  it('offers every command for help, for no command and for an unknown one', async () => {
    const all = [
      'audit',
      'db',
      'demo',
      'election',
      'kit',
      'open',
      'pki',
      'seal',
      'server',
      'simulate',
      'tally',
      'users',
    ];
    expect(await names('--help')).toEqual(all);
    expect(await names()).toEqual(all);
    expect(await names('constructor')).toEqual(all);
  });

  it('loads only the group a command needs', async () => {
    expect(await names('tally', 'check')).toEqual(['tally']);
    expect(await names('seal', '--help')).toEqual(['open', 'pki', 'seal']);
  });
});

describe('wahlkoffer --version and --help', () => {
  it('prints the version of package.json, loading no command group', async () => {
    const pkg = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8'),
    ) as {
      version: string;
    };
    const run = await runWahlkoffer(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(`wahlkoffer ${pkg.version}`);
    expect(await names('--version')).toEqual([]);
  });

  it('marks required options and shows defaults in one style', async () => {
    const issue = (await buildProgram(['node', 'wahlkoffer', 'pki'])).commands
      .find((c) => c.name() === 'pki')!
      .commands.find((c) => c.name() === 'issue')!;
    const help = issue.helpInformation({ error: false });
    expect(help).toMatch(/--dir <dir>\s+PKI directory \(required\)/);
    expect(help).toMatch(/--letters <dir>[^\n]*\n?[^\n]*\(required\)/);
    const server = (await buildProgram(['node', 'wahlkoffer', 'server'])).commands[0]!;
    const serverHelp = server.helpInformation({ error: false }).replace(/\s+/g, ' ');
    expect(serverHelp).toContain('(required; env: WAHLKOFFER_PKI)');
    expect(serverHelp).toContain('(default: 8443; 8080 with --plain-http; env: WAHLKOFFER_PORT)');
    const demo = (await buildProgram(['node', 'wahlkoffer', 'demo'])).commands[0]!;
    const demoHelp = demo.helpInformation({ error: false });
    expect(demoHelp).toContain('(default: 2020)');
    expect(demoHelp).not.toContain('(default: "');
  });

  it('answers a usage error with one line in German and English', async () => {
    const run = await runWahlkoffer(['pki', 'revoke', '--dir', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^wahlkoffer: Pflichtangabe --ca-passphrase-file <file> fehlt\..* \/ required option/,
      ),
    ]);
  });
});
