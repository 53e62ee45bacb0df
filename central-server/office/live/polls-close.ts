/** Polls close at 18:00 (§ 47 BWO, Art. 16 GLKrWG) on the election date, German time. */
export type PollsClose = {
  readonly hour: number;
  readonly minute: number;
  readonly timeZone: string;
};
export const POLLS_CLOSE: PollsClose = { hour: 18, minute: 0, timeZone: 'Europe/Berlin' };

/** The offset of `timeZone` from UTC at `at`, in milliseconds (e.g. +7,200,000 in summer). */
function zoneOffsetMs(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return local - Math.floor(at / 1000) * 1000;
}

/**
 * The instant the polls close on `date` (YYYY-MM-DD): 18:00 local time in `timeZone`, summer or
 * winter time alike. Pure: the date comes from the election definition, never from the clock.
 */
export function pollsCloseAt(date: string, close: PollsClose = POLLS_CLOSE): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const naive = Date.UTC(y, m - 1, d, close.hour, close.minute);
  // two rounds settle the offset also on the day the clocks change
  let at = naive - zoneOffsetMs(naive, close.timeZone);
  at = naive - zoneOffsetMs(at, close.timeZone);
  return new Date(at);
}

/** Whole minutes since the polls closed (negative before), from an injected `now`. */
export function minutesSincePollsClosed(closeAt: Date, now: Date): number {
  return Math.floor((now.getTime() - closeAt.getTime()) / 60_000);
}
