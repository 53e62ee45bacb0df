import type { Contest, Precinct } from '../definition.ts';
import type { ElectionIndex } from '../election-index.ts';
import { supersedes } from '../revisions.ts';
import type { SchnellmeldungDraft } from '../schnellmeldung.ts';
import type { Finding } from './finding.ts';
import { finding } from './rules-table.ts';

export type ContextCheck = {
  readonly findings: Finding[];
  /** set when precinct and contest exist and the precinct votes in the contest */
  readonly target?: { readonly precinct: Precinct; readonly contest: Contest };
};

/** F.001–F.004 and F.010–F.011: does the report belong here, and is it a proper correction? */
export function checkContext(
  t: SchnellmeldungDraft,
  index: ElectionIndex,
  previous: Pick<SchnellmeldungDraft, 'revision'> | undefined,
): ContextCheck {
  const findings: Finding[] = [];
  if (t.electionId !== index.definition.id) {
    findings.push(
      finding('F.001', ['electionId'], {
        de: `Meldung für „${t.electionId}“, geladen ist „${index.definition.id}“.`,
        en: `report for "${t.electionId}", loaded election is "${index.definition.id}"`,
      }),
    );
  }
  if (t.revision > 1 && (t.correctionReason ?? '').trim().length < 3) {
    findings.push(finding('F.010', ['correctionReason']));
  }
  if (previous !== undefined && !supersedes(t.revision, previous.revision)) {
    findings.push(
      finding('F.011', ['revision'], {
        de: `Revision ${t.revision}, bereits gemeldet: Revision ${previous.revision}.`,
        en: `revision ${t.revision}, already reported: revision ${previous.revision}`,
      }),
    );
  }
  const precinct = index.precinct(t.precinctId);
  const contest = index.contest(t.contestId);
  if (precinct === undefined) findings.push(finding('F.002', ['precinctId']));
  if (contest === undefined) findings.push(finding('F.003', ['contestId']));
  if (precinct === undefined || contest === undefined) return { findings };
  if (!index.votesIn(precinct.id, contest.id)) {
    findings.push(finding('F.004', ['precinctId', 'contestId']));
    return { findings };
  }
  return { findings, target: { precinct, contest } };
}
