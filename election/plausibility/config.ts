import type { PlausibilityConfig } from '../definition.ts';

export type ResolvedPlausibilityConfig = Required<PlausibilityConfig>;

/**
 * Defaults of the warning thresholds (an election definition may override each).
 * The turnout band is measured at the urn, B / (A + B1): with 40–60 % postal voting a normal
 * Urnenwahlbezirk shows 25–50 %, so the lower bound is low.
 */
export const DEFAULT_PLAUSIBILITY: ResolvedPlausibilityConfig = {
  turnoutMin: 0.2,
  turnoutMax: 0.95,
  invalidShareMax: 0.03,
  largeChangeShare: 0.05,
};

export function resolvePlausibility(config?: PlausibilityConfig): ResolvedPlausibilityConfig {
  return {
    turnoutMin: config?.turnoutMin ?? DEFAULT_PLAUSIBILITY.turnoutMin,
    turnoutMax: config?.turnoutMax ?? DEFAULT_PLAUSIBILITY.turnoutMax,
    invalidShareMax: config?.invalidShareMax ?? DEFAULT_PLAUSIBILITY.invalidShareMax,
    largeChangeShare: config?.largeChangeShare ?? DEFAULT_PLAUSIBILITY.largeChangeShare,
  };
}
