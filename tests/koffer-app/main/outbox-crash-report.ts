import { urneReport } from '../../central-server/fixture.ts';

/** The one report of the crash test, sealed by the killed process and again after the restart. */
export const CRASH_REPORT = urneReport('P1', [420, 380, 150]);
