import { ballotSections } from '../../election/index.ts';
import type { AreaModel, BallotResult, ResultsHeader, ResultsModel } from './model.ts';
import { ownConcat } from './snapshot.ts';

export const RESULTS_FORMAT = 'wahlkoffer.results/1';

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

function ballotJson(b: BallotResult) {
  return {
    kind: b.kind,
    id: b.id,
    contestIds: b.contestIds,
    name: b.name,
    status: b.status,
    districts: b.districts,
    lastChange: iso(b.lastChange),
    electorate: b.electorate,
    voters: b.voters,
    turnout: b.turnout,
    sections: b.sections.map((s) => ({
      stimme: s.stimme,
      invalid: s.invalid,
      valid: s.valid,
      votes: Object.fromEntries(s.choices.map((c) => [c.id, c.votes])),
    })),
  };
}

/** One area's entry of results.json (cached per area version by the snapshot builder). */
export function renderAreaJson(a: Omit<AreaModel, 'districts'>): string {
  return JSON.stringify({
    id: a.area.id,
    name: a.area.name,
    level: a.area.level,
    parentId: a.area.parentId,
    progress: { expected: a.progress.expected, reported: a.progress.reported },
    lastChange: iso(a.lastChange),
    ballots: a.ballots.map(ballotJson),
  });
}

/** The contests' part of results.json (names, parties, Kennbuchstaben: the ballot). */
function contestsJson(contests: ResultsHeader['contests']): string {
  return JSON.stringify(
    contests.map((contest) => ({
      id: contest.id,
      name: contest.name,
      kind: contest.kind,
      areaId: contest.areaId,
      sections: ballotSections(contest).map((section, i) => ({
        stimme: i + 1,
        label: section.label,
        choices: section.choices.map((choice) => {
          const c =
            section.choiceKind === 'candidate'
              ? contest.candidates.find((x) => x.id === choice.id)
              : contest.kind === 'BUNDESTAG'
                ? contest.lists.find((x) => x.id === choice.id)
                : undefined;
          return { id: choice.id, key: choice.key, name: c?.name ?? choice.id, party: c?.party };
        }),
      })),
    })),
  );
}

/**
 * The contests do not change during a night (they are the election definition's): their JSON is
 * made once per definition, not in every build (it was ~2 % of the publication thread).
 */
const contestsCache = new WeakMap<ResultsHeader['contests'], { text: string; bytes: Buffer }>();
function contestsJsonOf(contests: ResultsHeader['contests']): { text: string; bytes: Buffer } {
  let json = contestsCache.get(contests);
  if (json === undefined) {
    const text = contestsJson(contests);
    json = { text, bytes: Buffer.from(text, 'utf8') };
    contestsCache.set(contests, json);
  }
  return json;
}

/** results.json up to its contests: the snapshot's own fields, in the documented order. */
function headJson(header: ResultsHeader): string {
  const head = JSON.stringify({
    format: RESULTS_FORMAT,
    election: header.election,
    generatedAt: header.generatedAt.toISOString(),
    lastChange: iso(header.lastChange),
    lastSequence: header.lastSequence,
    reportsCounted: header.reportsCounted,
    rootAreaId: header.rootAreaId,
    contests: [],
  });
  return head.slice(0, -3); // the empty contests array is the last key
}

/**
 * results.json: the whole model for machines, exact counts only (a share is votes / valid of its
 * section, the turnout voters / electorate). The contests list the ballot (names, parties,
 * Kennbuchstaben) once; each area's ballots carry the votes per choice id. A combined ballot
 * (Bundestag contests inside an area) counts per party name, "einzelbewerber" for independents.
 * `areaJson` are the areas' entries (renderAreaJson) in tree order, spliced in as they are.
 * docs/publication.md.
 */
export function renderResultsJson(header: ResultsHeader, areaJson: readonly string[]): string {
  const contests = contestsJsonOf(header.contests).text;
  return `${headJson(header)}${contests},"areas":[${areaJson.join(',')}]}`;
}

const AREAS_OPEN = Buffer.from(',"areas":[');
const COMMA = Buffer.from(',');
const AREAS_CLOSE = Buffer.from(']}');

/**
 * results.json as bytes, the same as `renderResultsJson`'s text in UTF-8, from the areas' entries
 * already in UTF-8: the snapshot builder encodes an entry once when its area changes, so a build
 * copies the ~3 MB of a national results.json instead of joining and encoding it anew; into a
 * buffer of its own, as copies of it go to two other threads (`ownConcat`).
 */
export function renderResultsJsonBytes(header: ResultsHeader, areaJson: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [
    Buffer.from(headJson(header), 'utf8'),
    contestsJsonOf(header.contests).bytes,
    AREAS_OPEN,
  ];
  for (const [i, area] of areaJson.entries()) {
    if (i > 0) parts.push(COMMA);
    parts.push(area);
  }
  parts.push(AREAS_CLOSE);
  return ownConcat(parts);
}

/** results.json of a whole model (tests, one-off rendering). */
export function renderResultsJsonOf(model: ResultsModel): string {
  return renderResultsJson(model, model.areas.map(renderAreaJson));
}
