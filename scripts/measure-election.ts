// Measures the election domain on the germany-btw2025 shape, in one process:
//   npx tsx scripts/measure-election.ts [seed]
// Prints one JSON line with the milliseconds of each step (cold, first run in the process).
import {
  Aggregator,
  assessSchnellmeldung,
  generateElection,
  indexElection,
  parseElectionDefinition,
  resultKey,
  type Schnellmeldung,
} from '../election/index.ts';

const seed = Number(process.argv[2] ?? 1);
const ms: Record<string, number> = {};
function step<T>(name: string, run: () => T): T {
  const started = performance.now();
  const result = run();
  ms[name] = Math.round(performance.now() - started);
  return result;
}

const election = step('buildDefinition', () => generateElection('germany-btw2025', seed));
const reports = step('drawReports', () => [...election.tallies()]);
const json = JSON.stringify(election.definition);
const definition = step('parseDefinition', () => parseElectionDefinition(JSON.parse(json)));
const index = step('indexElection', () => indexElection(definition));
const parsed = JSON.parse(JSON.stringify(reports)) as Schnellmeldung[];
const keys = new Map<string, string[]>();
const sendable = step('assessAll', () => {
  let ok = 0;
  for (const t of parsed) {
    const key = resultKey(t);
    const a = assessSchnellmeldung(t, { index, identicalTo: (k) => keys.get(k) ?? [] });
    if (key !== undefined) keys.set(key, [...(keys.get(key) ?? []), t.precinctId]);
    if (a.sendable) ok++;
  }
  return ok;
});
const aggregator = new Aggregator(index);
step('aggregateAll', () => {
  for (const t of parsed) aggregator.apply(t);
});
const snapshot = step('snapshot', () => aggregator.snapshot());
console.log(
  JSON.stringify({
    shape: 'germany-btw2025',
    seed,
    precincts: definition.precincts.length,
    reports: reports.length,
    sendable,
    totals: snapshot.totals.length,
    ms,
  }),
);
