import type { ReportSource } from '../../intake/ledger.ts';

/**
 * The states of a district (Stimmbezirk) on the office's live board, in the shared status words
 * of design/README.md: nicht gemeldet, eingegangen, abgelehnt, korrigiert, telefonisch bestätigt,
 * telefonisch erfasst. The ids are what URLs and the event stream carry.
 */
export const DISTRICT_STATES = [
  'not-reported',
  'received',
  'refused',
  'corrected',
  'phone-confirmed',
  'phoned-in',
] as const;
export type DistrictState = (typeof DISTRICT_STATES)[number];

export function isDistrictState(value: string): value is DistrictState {
  return (DISTRICT_STATES as readonly string[]).includes(value);
}

/** The slot of a state in count arrays (`DISTRICT_STATES` order). */
export const stateSlot = (state: DistrictState): number => DISTRICT_STATES.indexOf(state);

/** States in which the district's figures are counted (the "x" of "x von y"). */
export const REPORTED_STATES: readonly DistrictState[] = [
  'received',
  'corrected',
  'phone-confirmed',
  'phoned-in',
];

/** The current report of one contest of a district, as the board keeps it. */
export type ContestReport = {
  readonly contestId: string;
  readonly sequence: number;
  readonly revision: number;
  readonly source: ReportSource;
};

/**
 * The one decision of a district's state (docs/decisions/0087), from what the board knows:
 * - until every contest the district votes in has a current report, it is `refused` if a report
 *   of it was refused, otherwise `not-reported` (a district counts once it is complete);
 * - a result taken by phone is `phoned-in` (the figures carry no station signature: the office
 *   must see that first);
 * - every current report confirmed by its receipt code on the phone: `phone-confirmed`;
 * - a current report with revision > 1: `corrected`;
 * - otherwise `received`.
 * A confirmation of an earlier revision does not confirm its correction.
 */
export function districtState(input: {
  readonly contests: number;
  readonly reports: readonly ContestReport[];
  /** the sequence numbers confirmed by phone, per contest */
  readonly confirmed: (contestId: string) => number | undefined;
  readonly refusedReports: number;
}): DistrictState {
  const { reports } = input;
  if (reports.length === 0 || reports.length < input.contests) {
    return input.refusedReports > 0 ? 'refused' : 'not-reported';
  }
  if (reports.some((r) => r.source === 'telefonisch')) return 'phoned-in';
  if (reports.every((r) => input.confirmed(r.contestId) === r.sequence)) return 'phone-confirmed';
  if (reports.some((r) => r.revision > 1)) return 'corrected';
  return 'received';
}
