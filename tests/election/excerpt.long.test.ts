import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  generateElection,
  indexElection,
  stationExcerpt,
  validateElectionDefinition,
} from '../../election/index.ts';

describe('stationExcerpt at national size', () => {
  it('stays small when the election is national', () => {
    const election = generateElection('germany-btw2025', 2025);
    const index = indexElection(election.definition);
    const sizes = election.definition.precincts
      .filter((_, i) => i % 997 === 0)
      .map((p) => {
        const excerpt = stationExcerpt(index, p.id);
        expect(validateElectionDefinition(excerpt)).toEqual([]);
        return canonicalJson(excerpt).length;
      });
    const whole = canonicalJson(election.definition).length;
    expect(whole).toBeGreaterThan(10_000_000);
    expect(Math.max(...sizes)).toBeLessThan(20_000);
  });
});
