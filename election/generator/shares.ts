/**
 * Erststimmen concentrate on the big parties' candidates (tactical splitting), so a
 * candidate's share is the list share to the power 1.15, normalised.
 */
export function candidateShares(listShares: readonly number[]): number[] {
  const raw = listShares.map((s) => Math.pow(s, 1.15));
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((r) => (100 * r) / sum);
}
