import { describe, expect, it } from 'vitest';
import {
  minutesSincePollsClosed,
  pollsCloseAt,
} from '../../../../central-server/office/live/polls-close.ts';

describe('the polls close at 18:00 German time on the election date', () => {
  it('in summer time (UTC+2): 16:00 UTC', () => {
    expect(pollsCloseAt('2026-09-27').toISOString()).toBe('2026-09-27T16:00:00.000Z');
  });

  it('in winter time (UTC+1): 17:00 UTC', () => {
    expect(pollsCloseAt('2025-02-23').toISOString()).toBe('2025-02-23T17:00:00.000Z');
  });

  it('on the day the clocks go back (the change at 03:00 is long past at 18:00)', () => {
    expect(pollsCloseAt('2026-10-25').toISOString()).toBe('2026-10-25T17:00:00.000Z');
    expect(pollsCloseAt('2026-03-29').toISOString()).toBe('2026-03-29T16:00:00.000Z');
  });

  it('minutes since then come from the injected time, negative before', () => {
    const close = pollsCloseAt('2026-09-27');
    expect(minutesSincePollsClosed(close, new Date('2026-09-27T17:23:59Z'))).toBe(83);
    expect(minutesSincePollsClosed(close, new Date('2026-09-27T15:59:00Z'))).toBe(-1);
  });
});
