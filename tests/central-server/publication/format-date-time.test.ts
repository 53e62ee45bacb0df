import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatDateTime,
  formatDateTimeNow,
} from '../../../central-server/publication/html/format.ts';

const zones = ['Europe/Berlin', 'UTC', 'America/New_York', 'Asia/Kolkata'] as const;

describe('the time of a report on the pages', () => {
  it('reads the same from the texts kept by second as from Intl, to the millisecond and across DST', () => {
    // 2026, with both of Berlin's clock changes, in milliseconds: whole seconds are shared by
    // many reports, and a text made for one millisecond serves its whole second
    const inNight = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) });
    fc.assert(
      fc.property(
        fc.array(inNight, { minLength: 1, maxLength: 50 }),
        fc.constantFrom('de' as const, 'en' as const),
        fc.constantFrom(...zones),
        (times, lang, zone) => {
          for (const ms of times) {
            for (const at of [ms, ms - (ms % 1000), ms - (ms % 1000) + 999]) {
              expect(formatDateTime(new Date(at), lang, zone)).toBe(
                formatDateTimeNow(new Date(at), lang, zone),
              );
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('names the second in the election’s time zone, in German with “Uhr”', () => {
    // 2026-03-29 00:59:59.900 UTC is 01:59:59 CET; a second later Berlin is on CEST (03:00:00)
    const beforeChange = new Date(Date.UTC(2026, 2, 29, 0, 59, 59, 900));
    expect(formatDateTime(beforeChange, 'de', 'Europe/Berlin')).toBe('29.03.2026, 01:59:59 Uhr');
    expect(formatDateTime(new Date(beforeChange.getTime() + 100), 'de', 'Europe/Berlin')).toBe(
      '29.03.2026, 03:00:00 Uhr',
    );
    expect(formatDateTime(beforeChange, 'en', 'Europe/Berlin')).toBe('29 Mar 2026, 01:59:59');
  });
});
