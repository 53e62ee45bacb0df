import type { ElectionDefinition, PlausibilityConfig } from '../definition.ts';
import type { VoterFigures } from './figures.ts';
import type { ContestShares } from './tallies.ts';

/** A generated election before its tallies are drawn. */
export type BuiltElection = {
  readonly definition: ElectionDefinition;
  readonly figures: ReadonlyMap<string, VoterFigures>;
  readonly shares: ContestShares;
};

/** The generated elections state the default thresholds explicitly, as an office would. */
export const GENERATED_PLAUSIBILITY: PlausibilityConfig = {
  turnoutMin: 0.2,
  turnoutMax: 0.95,
  invalidShareMax: 0.03,
  largeChangeShare: 0.05,
};
