import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../cli/main.ts';

const names = async (...args: string[]) =>
  (await buildProgram(['node', 'wahlkoffer', ...args])).commands.map((c) => c.name()).sort();

describe('the wahlkoffer program', () => {
  it('offers every command for help, for no command and for an unknown one', async () => {
    const all = ['db', 'demo', 'election', 'open', 'pki', 'seal', 'server', 'simulate', 'tally'];
    expect(await names('--help')).toEqual(all);
    expect(await names()).toEqual(all);
    expect(await names('constructor')).toEqual(all);
  });

  it('loads only the group a command needs', async () => {
    expect(await names('tally', 'check')).toEqual(['tally']);
    expect(await names('seal', '--help')).toEqual(['open', 'pki', 'seal']);
  });
});
