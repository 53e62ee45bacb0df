import { describe, expect, it } from 'vitest';
import {
  assessSchnellmeldung,
  generateElection,
  indexElection,
  parseElectionDefinition,
  resultKey,
} from '../../election/index.ts';

// Long suite (npm run test:long): the full Bundestag shape is rule-clean, report by report.
describe('germany-btw2025', () => {
  it('every one of the ~90,000 truthful reports passes every rule, identical-result check included', () => {
    const election = generateElection('germany-btw2025', 2025);
    const index = indexElection(parseElectionDefinition(election.definition));
    const reports = [...election.tallies()];
    const byKey = new Map<string, string[]>();
    for (const t of reports) {
      const key = resultKey(t);
      if (key !== undefined) byKey.set(key, [...(byKey.get(key) ?? []), t.precinctId]);
    }
    const dirty = reports.filter(
      (t) =>
        assessSchnellmeldung(t, { index, identicalTo: (k) => byKey.get(k) ?? [] }).findings.length >
        0,
    );
    expect(reports.length).toBeGreaterThan(85_000);
    expect(dirty.map((t) => t.precinctId)).toEqual([]);
  }, 120_000);
});
