import { describe, expect, it } from 'vitest';
import { ConfigError, parseServerConfig } from '../../../central-server/index.ts';

const required = { pkiDir: 'pki', electionFile: 'election.json' };

describe('switching the memory trim on', () => {
  it('is off by default (a trim under load stalls the main thread)', () => {
    expect(parseServerConfig(required).mallocTrim).toBe(false);
  });

  it('is on with --malloc-trim or WAHLKOFFER_MALLOC_TRIM=1, true or yes', () => {
    expect(parseServerConfig({ ...required, mallocTrim: true }).mallocTrim).toBe(true);
    for (const value of ['1', 'true', 'yes', 'YES']) {
      expect(parseServerConfig(required, { WAHLKOFFER_MALLOC_TRIM: value }).mallocTrim).toBe(true);
    }
  });

  it('is off with WAHLKOFFER_MALLOC_TRIM=0, false or no', () => {
    for (const value of ['0', 'false', 'no', 'NO']) {
      expect(parseServerConfig(required, { WAHLKOFFER_MALLOC_TRIM: value }).mallocTrim).toBe(false);
    }
    expect(parseServerConfig(required, { WAHLKOFFER_MALLOC_TRIM: '1' }).mallocTrim).toBe(true);
  });

  it('the flag (--malloc-trim) wins over the environment', () => {
    expect(
      parseServerConfig({ ...required, mallocTrim: true }, { WAHLKOFFER_MALLOC_TRIM: '0' })
        .mallocTrim,
    ).toBe(true);
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
      '--malloc-trim (WAHLKOFFER_MALLOC_TRIM)',
    ]);
  });
});
