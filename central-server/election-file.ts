import { readFile } from 'node:fs/promises';
import { indexElection, parseElectionDefinition, type ElectionIndex } from '../election/index.ts';

/** Reads, validates and indexes the election definition the server counts for. */
export async function loadElection(file: string): Promise<ElectionIndex> {
  const json: unknown = JSON.parse(await readFile(file, 'utf8'));
  return indexElection(parseElectionDefinition(json));
}
