import { ElectionDefinitionSchema, type Contest, type ElectionDefinition } from './definition.ts';
import { ElectionError, type DefinitionIssue, type DefinitionIssueCode } from './election-error.ts';
import { indexElection } from './election-index.ts';

/** Enough to fix a file in one pass without flooding the terminal. */
const MAX_ISSUES = 50;

/**
 * Real trees have at most 7 levels (Bund → Land → Wahlkreis → Kreis → Gemeinde …); the bound
 * keeps the index linear (each precinct stores its ancestors) even for a hostile file.
 */
export const MAX_AREA_DEPTH = 16;

/**
 * Parses and validates an election definition: the zod schema first, then every
 * cross-reference (SPEC §4). Runs in linear time in the number of areas, precincts and
 * contests. Throws `ElectionError` listing the problems found.
 */
export function parseElectionDefinition(json: unknown): ElectionDefinition {
  const parsed = ElectionDefinitionSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, MAX_ISSUES).map((issue): DefinitionIssue => ({
      code: 'DEFINITION_SCHEMA',
      path: issue.path.map(String).join('.') || '(root)',
      message: issue.message,
    }));
    throw new ElectionError(issues, { cause: parsed.error });
  }
  const issues = validateElectionDefinition(parsed.data);
  if (issues.length > 0) throw new ElectionError(issues);
  return parsed.data;
}

class Issues {
  readonly list: DefinitionIssue[] = [];
  add(code: DefinitionIssueCode, path: string, message: string): void {
    if (this.list.length < MAX_ISSUES) this.list.push({ code, path, message });
  }
}

/** The cross-reference checks on a schema-valid definition; empty when it is usable. */
export function validateElectionDefinition(def: ElectionDefinition): DefinitionIssue[] {
  const issues = new Issues();
  checkAreaTree(def, issues);
  checkPrecincts(def, issues);
  checkContests(def, issues);
  // Membership needs a sound tree and sound references; report those first.
  if (issues.list.length === 0) checkMembership(def, issues);
  return issues.list;
}

function checkUnique(ids: readonly string[], what: string, issues: Issues): Set<string> {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) issues.add('DUPLICATE_ID', `${what}.${i}.id`, `duplicate id "${id}"`);
    seen.add(id);
  });
  return seen;
}

function checkAreaTree(def: ElectionDefinition, issues: Issues): void {
  const ids = checkUnique(
    def.areas.map((a) => a.id),
    'areas',
    issues,
  );
  const roots = def.areas.filter((a) => a.parentId === null);
  if (roots.length !== 1) {
    issues.add('AREA_ROOT', 'areas', `the area tree needs exactly one root, found ${roots.length}`);
  }
  const parent = new Map<string, string | null>();
  def.areas.forEach((area, i) => {
    parent.set(area.id, area.parentId);
    if (area.parentId !== null && !ids.has(area.parentId)) {
      issues.add('UNKNOWN_AREA', `areas.${i}.parentId`, `unknown parent area "${area.parentId}"`);
    }
  });
  // Walk up from every area once; "done" marks let each area be visited a bounded number of times.
  const done = new Set<string>();
  def.areas.forEach((area, i) => {
    const path = new Set<string>();
    let current: string | null | undefined = area.id;
    while (current !== null && current !== undefined && !done.has(current)) {
      if (path.has(current)) {
        issues.add('AREA_CYCLE', `areas.${i}.parentId`, `area "${current}" is its own ancestor`);
        break;
      }
      path.add(current);
      current = parent.get(current);
    }
    for (const id of path) done.add(id);
  });
  if (issues.list.length === 0) checkDepth(def, parent, issues);
}

/** Depth of every area (root = 1), memoised, so linear; only called on an acyclic tree. */
function checkDepth(
  def: ElectionDefinition,
  parent: Map<string, string | null>,
  issues: Issues,
): void {
  const depth = new Map<string, number>();
  def.areas.forEach((area, i) => {
    const chain: string[] = [];
    let current: string | null | undefined = area.id;
    while (current !== null && current !== undefined && !depth.has(current)) {
      chain.push(current);
      current = parent.get(current);
    }
    let d = current === null || current === undefined ? 0 : (depth.get(current) ?? 0);
    for (let k = chain.length - 1; k >= 0; k--) depth.set(chain[k] ?? '', ++d);
    if ((depth.get(area.id) ?? 0) > MAX_AREA_DEPTH) {
      issues.add(
        'AREA_DEPTH',
        `areas.${i}.parentId`,
        `the area tree is deeper than ${MAX_AREA_DEPTH} levels`,
      );
    }
  });
}

function checkPrecincts(def: ElectionDefinition, issues: Issues): void {
  checkUnique(
    def.precincts.map((p) => p.id),
    'precincts',
    issues,
  );
  const areaIds = new Set(def.areas.map((a) => a.id));
  const kindById = new Map(def.precincts.map((p) => [p.id, p.kind]));
  def.precincts.forEach((p, i) => {
    const at = `precincts.${i}`;
    if (!areaIds.has(p.areaId))
      issues.add('UNKNOWN_AREA', `${at}.areaId`, `unknown area "${p.areaId}"`);
    if (p.kind === 'BRIEF') {
      if (p.register !== undefined) {
        issues.add(
          'REGISTER_ON_BRIEF',
          `${at}.register`,
          'a Briefwahlbezirk has no register figures (A1–A3)',
        );
      }
      if (p.briefwahlbezirkId !== undefined) {
        issues.add(
          'BAD_BRIEFWAHL_LINK',
          `${at}.briefwahlbezirkId`,
          'only an Urnenwahlbezirk links to a Briefwahlbezirk',
        );
      }
    } else if (p.briefwahlbezirkId !== undefined && kindById.get(p.briefwahlbezirkId) !== 'BRIEF') {
      issues.add(
        'BAD_BRIEFWAHL_LINK',
        `${at}.briefwahlbezirkId`,
        `"${p.briefwahlbezirkId}" is not a Briefwahlbezirk of this election`,
      );
    }
  });
}

function checkContests(def: ElectionDefinition, issues: Issues): void {
  checkUnique(
    def.contests.map((c) => c.id),
    'contests',
    issues,
  );
  const areaIds = new Set(def.areas.map((a) => a.id));
  /** Landeslisten are shared by the Wahlkreise of a Land: the same id must mean the same list. */
  const lists = new Map<string, string>();
  def.contests.forEach((contest, i) => {
    const at = `contests.${i}`;
    if (!areaIds.has(contest.areaId)) {
      issues.add('UNKNOWN_AREA', `${at}.areaId`, `unknown area "${contest.areaId}"`);
    }
    checkUnique(
      contest.candidates.map((c) => c.id),
      `${at}.candidates`,
      issues,
    );
    if (contest.kind === 'BUNDESTAG') {
      checkUnique(
        contest.lists.map((l) => l.id),
        `${at}.lists`,
        issues,
      );
      contest.lists.forEach((list, j) => {
        const identity = `${list.party}\u0000${list.name}`;
        const known = lists.get(list.id);
        if (known !== undefined && known !== identity) {
          issues.add(
            'INCONSISTENT_LIST',
            `${at}.lists.${j}`,
            `list "${list.id}" differs from the list of that id in another contest`,
          );
        }
        lists.set(list.id, identity);
      });
    }
  });
}

/** Contests of the same kind (and office and round) must not overlap: one ballot per precinct. */
function ballotKey(contest: Contest): string {
  return contest.kind === 'MEHRHEITSWAHL'
    ? `${contest.kind}/${contest.office}/${contest.round}`
    : contest.kind;
}

function checkMembership(def: ElectionDefinition, issues: Issues): void {
  const index = indexElection(def);
  def.precincts.forEach((p, i) => {
    const at = `precincts.${i}`;
    const contests = index.contestsOfPrecinct(p.id);
    if (contests.length === 0) {
      issues.add(
        'PRECINCT_WITHOUT_CONTEST',
        `${at}.areaId`,
        `precinct "${p.id}" votes in no contest`,
      );
    }
    const keys = new Set<string>();
    for (const contest of contests) {
      const key = ballotKey(contest);
      if (keys.has(key)) {
        issues.add(
          'CONTEST_OVERLAP',
          `${at}.areaId`,
          `precinct "${p.id}" lies in two contests of kind ${key}`,
        );
      }
      keys.add(key);
    }
    if (p.kind === 'URNE' && p.briefwahlbezirkId !== undefined) {
      // The postal votes of this precinct's voters are counted there, so it must count the same ballots.
      const brief = new Set(index.contestsOfPrecinct(p.briefwahlbezirkId).map((c) => c.id));
      const missing = contests.filter((c) => !brief.has(c.id));
      if (missing.length > 0) {
        issues.add(
          'BAD_BRIEFWAHL_LINK',
          `${at}.briefwahlbezirkId`,
          `Briefwahlbezirk "${p.briefwahlbezirkId}" does not vote in contest "${missing[0]?.id}"`,
        );
      }
    }
  });
}
