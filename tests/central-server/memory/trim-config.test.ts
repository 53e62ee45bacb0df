import { describe, expect, it } from 'vitest';
import { ConfigError, parseServerConfig } from '../../../central-server/index.ts';

const required = { pkiDir: 'pki', electionFile: 'election.json' };

describe('switching the memory trim off', () => {
  it('is on by default', () => {
    expect(parseServerConfig(required).mallocTrim).toBe(true);
  });

  it('is off with WAHLKOFFER_MALLOC_TRIM=0, false or no', () => {
    for (const value of ['0', 'false', 'no', 'NO']) {
      expect(parseServerConfig(required, { WAHLKOFFER_MALLOC_TRIM: value }).mallocTrim).toBe(false);
    }
    expect(parseServerConfig(required, { WAHLKOFFER_MALLOC_TRIM: '1' }).mallocTrim).toBe(true);
  });

  it('the flag (--no-malloc-trim) wins over the environment', () => {
    expect(
      parseServerConfig({ ...required, mallocTrim: false }, { WAHLKOFFER_MALLOC_TRIM: '1' })
        .mallocTrim,
    ).toBe(false);
  });

  it('refuses anything else, naming the setting', () => {
    let error: unknown;
    try {
      parseServerConfig(required, { WAHLKOFFER_MALLOC_TRIM: 'sometimes' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.setting)).toEqual([
      '--no-malloc-trim (WAHLKOFFER_MALLOC_TRIM)',
    ]);
  });
});
