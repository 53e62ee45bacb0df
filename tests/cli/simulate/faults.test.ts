import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FAULTS,
  EXPECTED_OUTCOMES,
  FAULT_KINDS,
  formatFaultSpec,
  NO_FAULTS,
  parseFaultSpec,
} from '../../../cli/simulate/faults.ts';

describe('the --faults specification', () => {
  it('knows "default" and "none"', () => {
    expect(parseFaultSpec('default')).toEqual(DEFAULT_FAULTS);
    expect(parseFaultSpec('none')).toEqual(NO_FAULTS);
    expect(parseFaultSpec('')).toEqual(NO_FAULTS);
  });

  it('reads kind=count pairs; unnamed kinds get 0 and a bare kind means 1', () => {
    expect(parseFaultSpec('retry=3, tampered')).toEqual({ ...NO_FAULTS, retry: 3, tampered: 1 });
  });

  it('round-trips through formatFaultSpec', () => {
    expect(parseFaultSpec(formatFaultSpec(DEFAULT_FAULTS))).toEqual(DEFAULT_FAULTS);
  });

  it.each(['explode=1', 'retry=-1', 'retry=x', 'retry=1=2'])(
    'refuses %s with FAULT_SPEC_INVALID',
    (spec) => {
      expect(() => parseFaultSpec(spec)).toThrow(
        expect.objectContaining({ code: 'FAULT_SPEC_INVALID' }),
      );
    },
  );

  it('expects refusals with a code for the hostile faults and acceptance for retry and correction', () => {
    for (const kind of FAULT_KINDS) {
      const expected = EXPECTED_OUTCOMES[kind];
      if (kind === 'retry' || kind === 'correction') expect(expected.kind).toBe('ACCEPTED');
      else
        expect(expected).toMatchObject({
          kind: 'REFUSED',
          code: expect.stringMatching(/^[A-Z_]+$/),
        });
    }
  });
});
