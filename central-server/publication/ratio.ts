/** part / whole, or null when there is no whole yet (no valid votes, no electorate). */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}
