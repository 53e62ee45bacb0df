import {
  generateElection,
  indexElection,
  type ElectionDefinition,
  type Schnellmeldung,
  type ShapeName,
} from '../../../election/index.ts';
import {
  PublicationState,
  type CountedReport,
  type DistrictSource,
} from '../../../central-server/publication/index.ts';
import { createLogger } from '../../../central-server/logger.ts';

export const T0 = Date.UTC(2026, 2, 8, 17, 0, 0);

/** What a test's `Publisher.open` takes besides its election and folder: fixed, silent, at once. */
export const publisherBasics = {
  css: 'body{}',
  timeZone: 'Europe/Berlin',
  sign: () => Buffer.from('signature'),
  clock: () => new Date(T0),
  logger: createLogger('silent'),
  coalesceMs: 0,
} as const;

/** A counted report as the intake would hand it over: sequence n accepted at T0 + n seconds. */
export function counted(
  t: Schnellmeldung,
  sequence: number,
  source: DistrictSource = 'kit',
): CountedReport {
  return { schnellmeldung: t, sequence, acceptedAt: new Date(T0 + sequence * 1000), source };
}

/** A generated election with every `every`-th report counted (1 = all), some by phone. */
export function generated(
  shape: ShapeName,
  options: { every?: number; phoneEvery?: number } = {},
): {
  definition: ElectionDefinition;
  state: PublicationState;
  reports: Schnellmeldung[];
  counted: Schnellmeldung[];
} {
  const election = generateElection(shape, 7);
  const index = indexElection(election.definition);
  const state = new PublicationState(index);
  const reports = [...election.tallies()];
  const taken: Schnellmeldung[] = [];
  reports.forEach((t, i) => {
    if (i % (options.every ?? 1) !== 0) return;
    const phone = options.phoneEvery !== undefined && i % options.phoneEvery === 0;
    state.record(counted(t, i + 1, phone ? 'telefonisch' : 'kit'));
    taken.push(t);
  });
  return { definition: election.definition, state, reports, counted: taken };
}
