import { BaseError } from './error.ts';

/** Codes of problems found in an election definition (see validate-definition.ts). */
export type DefinitionIssueCode =
  | 'DEFINITION_SCHEMA'
  | 'DUPLICATE_ID'
  | 'UNKNOWN_AREA'
  | 'AREA_ROOT'
  | 'AREA_CYCLE'
  | 'AREA_DEPTH'
  | 'BAD_BRIEFWAHL_LINK'
  | 'REGISTER_ON_BRIEF'
  | 'PRECINCT_WITHOUT_CONTEST'
  | 'CONTEST_OVERLAP'
  | 'INCONSISTENT_LIST';

export type ElectionErrorCode = DefinitionIssueCode;

/** One problem in a definition; `path` points into the JSON document, e.g. `precincts.12.areaId`. */
export type DefinitionIssue = {
  readonly code: DefinitionIssueCode;
  readonly path: string;
  readonly message: string;
};

/**
 * An election definition that cannot be used. `code` is the first issue's code; `issues`
 * lists every problem found (bounded), so an office user can fix the file in one pass.
 */
export class ElectionError extends BaseError<ElectionErrorCode> {
  readonly issues: readonly DefinitionIssue[];

  constructor(issues: readonly DefinitionIssue[], options?: { cause?: unknown }) {
    const first = issues[0];
    if (first === undefined) {
      throw new TypeError('ElectionError needs at least one issue');
    }
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(first.code, `${first.path}: ${first.message}${more}`, options);
    this.issues = issues;
  }
}
