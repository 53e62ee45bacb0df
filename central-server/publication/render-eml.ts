import { ballotSections, type BallotSection, type Contest } from '../../election/index.ts';
import type {
  AreaModel,
  BallotResult,
  DistrictRow,
  ResultsHeader,
  SectionResult,
} from './model.ts';
import { wahlart } from './render-kerg.ts';

export const EML_NAMESPACE = 'urn:oasis:names:tc:evs:schema:eml';

/** XML 1.0 text: escaped, and characters XML cannot carry at all removed. */
export function xmlText(value: string | number): string {
  return String(value)
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** EML's PersonNameType is a token of at most 70 characters. */
function personName(name: string): string {
  const chars = [...name.replace(/\s+/g, ' ').trim()];
  return chars.length <= 70 ? chars.join('') : `${chars.slice(0, 69).join('')}…`;
}

const metric = (id: string, type: string, value: number) =>
  `<CountMetric Id="${id}" Type="${xmlText(type)}">${value}</CountMetric>`;

type Choice = { id: string; name: string; party: string | undefined; votes: number };

/** A Selection; `full` with names (TotalVotes), else by id only (each district, to stay small). */
function selection(section: BallotSection, c: Choice, full: boolean): string {
  let who: string;
  if (section.choiceKind === 'list') {
    const name = full ? `<RegisteredName>${xmlText(c.name)}</RegisteredName>` : '<RegisteredName/>';
    who = `<AffiliationIdentifier Id="${c.id}">${name}</AffiliationIdentifier>`;
  } else if (!full) {
    who = `<Candidate><CandidateIdentifier Id="${c.id}"/></Candidate>`;
  } else {
    const party =
      c.party === undefined
        ? ''
        : `<AffiliationIdentifier><RegisteredName>${xmlText(c.party)}</RegisteredName></AffiliationIdentifier>`;
    who = `<Candidate><CandidateIdentifier Id="${c.id}"><CandidateName>${xmlText(personName(c.name))}</CandidateName></CandidateIdentifier></Candidate>${party}`;
  }
  return `<Selection>${who}<ValidVotes>${c.votes}</ValidVotes></Selection>`;
}

/** Selections, then Cast (B), TotalCounted (invalid + valid) and the invalid as RejectedVotes. */
function voteGroup(
  section: BallotSection,
  choices: readonly Choice[],
  figures: { voters: number; invalid: number; valid: number },
  full: boolean,
): string {
  const { voters, invalid, valid } = figures;
  return (
    choices.map((c) => selection(section, c, full)).join('') +
    `<Cast>${voters}</Cast><TotalCounted>${invalid + valid}</TotalCounted>` +
    `<RejectedVotes ReasonCode="ungueltig" Reason="ungültige Stimmen">${invalid}</RejectedVotes>`
  );
}

function districtVotes(
  row: DistrictRow,
  contestId: string,
  slots: ReadonlyMap<string, number>,
  section: BallotSection,
): string {
  const state = row.contests.find((c) => c.contestId === contestId)?.state;
  if (state === undefined || !state.reported) return '';
  const value = (key: string) => state.counts[slots.get(key) ?? -1] ?? 0;
  const { precinct } = row;
  const metrics = [
    ...(precinct.kind === 'URNE' ? [metric('A', 'Wahlberechtigte', value('A'))] : []),
    metric('B', 'Wählende', value('B')),
    metric('B1', 'Wählende mit Wahlschein', value('B1')),
    metric('REVISION', 'Revision der Schnellmeldung', state.revision),
    metric(
      'TELEFONISCH',
      'telefonisch erfasst (1) oder vom Wahlkoffer (0)',
      state.source === 'telefonisch' ? 1 : 0,
    ),
  ];
  const choices = section.choices.map((c) => ({
    id: c.id,
    name: '',
    party: undefined,
    votes: value(c.key),
  }));
  return (
    `<ReportingUnitVotes><ReportingUnitIdentifier Id="${precinct.id}">${xmlText(`${precinct.number} ${precinct.name}`)}</ReportingUnitIdentifier>` +
    metrics.join('') +
    voteGroup(
      section,
      choices,
      { voters: value('B'), invalid: value(section.invalid), valid: value(section.valid) },
      false,
    ) +
    '</ReportingUnitVotes>'
  );
}

function totalVotes(ballot: BallotResult, result: SectionResult, section: BallotSection): string {
  return (
    '<TotalVotes>' +
    metric('A', 'Wahlberechtigte der gemeldeten Urnenwahlbezirke', ballot.electorate) +
    metric('B', 'Wählende', ballot.voters) +
    metric('STIMMBEZIRKE', 'Stimmbezirke insgesamt', ballot.districts.expected) +
    metric('GEMELDET', 'Stimmbezirke gemeldet', ballot.districts.reported) +
    metric('TELEFONISCH', 'Stimmbezirke telefonisch erfasst', ballot.districts.byPhone) +
    voteGroup(section, result.choices, { ...result, voters: ballot.voters }, true) +
    '</TotalVotes>'
  );
}

/**
 * `<contestId>.eml.xml`: OASIS EML 5.0 message 510 ("Count") for one contest. One Election per
 * ballot section (a Bundestag contest: Erststimmen and Zweitstimmen), each with the contest's
 * TotalVotes and one ReportingUnitVotes per district that has reported. The CountMetrics carry
 * the Kennbuchstaben A, B, B1, the progress and the source of each district's figures
 * (TELEFONISCH = 1 for a result taken by phone). `areas`: the contest's area and its subtree in
 * tree order. TransactionId is the contest's highest sequence number counted. Validates against the OASIS schema
 * (510-count-v5-0.xsd); see docs/publication.md.
 */
export function renderEml(
  model: ResultsHeader,
  contest: Contest,
  areas: readonly AreaModel[],
): string {
  return [...emlParts(model, contest, areas)].join('');
}

/**
 * The same text in parts, a district's ReportingUnitVotes each, so that a large contest's file
 * can be written a chunk at a time (staging.ts) rather than held whole (~1.5 MB at national size).
 */
export function* emlParts(
  model: ResultsHeader,
  contest: Contest,
  areas: readonly AreaModel[],
): Generator<string> {
  const ballot = areas[0]?.ballots.find((b) => b.kind === 'contest' && b.id === contest.id);
  if (ballot === undefined) return;
  const slots = new Map((model.keys.get(contest.id) ?? []).map((k, i) => [k, i]));
  const partial = ballot.status === 'VORLAEUFIGES_ERGEBNIS' ? 'no' : 'yes';
  yield (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<EML xmlns="${EML_NAMESPACE}" Id="510" SchemaVersion="5.0">` +
    // the contest's own newest figures, so an unchanged contest gives the same bytes
    `<TransactionId>${model.contestSequences.get(contest.id) ?? 0}</TransactionId>` +
    `<IssueDate>${ballot.lastChange?.toISOString() ?? model.election.date}</IssueDate>` +
    `<Count><EventIdentifier Id="${model.election.id}"><EventName>${xmlText(model.election.name)}</EventName></EventIdentifier>`
  );
  for (const [i, section] of ballotSections(contest).entries()) {
    const result = ballot.sections[i];
    if (result === undefined) continue;
    yield (
      `<Election><ElectionIdentifier Id="${contest.id}-stimme${result.stimme}">` +
      `<ElectionName>${xmlText(`${model.election.name}: ${contest.name}, ${section.label.de}`)}</ElectionName>` +
      `<ElectionCategory>${xmlText(wahlart(contest))}</ElectionCategory></ElectionIdentifier>` +
      `<Contests><Contest><ContestIdentifier Id="${contest.id}"><ContestName>${xmlText(contest.name)}</ContestName></ContestIdentifier>` +
      `<CountQualifier><Final>no</Final><Partial>${partial}</Partial></CountQualifier>` +
      totalVotes(ballot, result, section)
    );
    for (const area of areas) {
      for (const d of area.districts) yield districtVotes(d, contest.id, slots, section);
    }
    yield '</Contest></Contests></Election>';
  }
  yield '</Count></EML>\n';
}
