import {
  ballotSections,
  type Area,
  type Contest,
  type ContestTotals,
  type ElectionIndex,
  type Precinct,
} from '../../election/index.ts';
import { combinedBallot } from './combine.ts';
import { DistrictTable } from './district-table.ts';
import type {
  AreaModel,
  AreaSummary,
  BallotResult,
  ResultsHeader,
  ResultsModel,
  SectionResult,
} from './model.ts';
import { ratio } from './ratio.ts';
import type { PublicationView } from './state.ts';

/** Lookups built once per election: districts per area and the areas in tree order. */
export type ModelContext = {
  readonly index: ElectionIndex;
  readonly precinctsByArea: ReadonlyMap<string, readonly Precinct[]>;
  /** areas with districts, root first, each followed by its subtree (children in definition order) */
  readonly treeOrder: readonly Area[];
  readonly rootAreaId: string;
  /**
   * per area, the contests with districts in its subtree, in definition order (a page's ballots
   * and each sub-area's leader look at these, not at every contest of a national election)
   */
  readonly contestsIn: ReadonlyMap<string, readonly Contest[]>;
};

export function createModelContext(index: ElectionIndex): ModelContext {
  const { definition } = index;
  const root = definition.areas.find((a) => a.parentId === null) ?? definition.areas[0];
  if (root === undefined) throw new TypeError('an election definition has at least one area');
  const precinctsByArea = new Map<string, Precinct[]>();
  for (const p of definition.precincts) {
    const list = precinctsByArea.get(p.areaId);
    if (list === undefined) precinctsByArea.set(p.areaId, [p]);
    else list.push(p);
  }
  const treeOrder: Area[] = [];
  const stack = [root.id];
  while (stack.length > 0) {
    const area = index.area(stack.pop() ?? '');
    if (area === undefined || index.precinctsInArea(area.id) === 0) continue;
    treeOrder.push(area);
    stack.push(...[...index.children(area.id)].reverse());
  }
  const contestsIn = new Map<string, Contest[]>();
  for (const contest of definition.contests) {
    for (const areaId of index.areasOfContest(contest.id)) {
      if (index.expectedPrecincts(contest.id, areaId) === 0) continue;
      const list = contestsIn.get(areaId);
      if (list === undefined) contestsIn.set(areaId, [contest]);
      else list.push(contest);
    }
  }
  return { index, precinctsByArea, treeOrder, rootAreaId: root.id, contestsIn };
}

/** The sections of one contest's totals, choices in ballot order. */
export function contestSections(contest: Contest, totals: ContestTotals): SectionResult[] {
  const names = new Map<string, { name: string; party: string | undefined }>();
  for (const c of contest.candidates) names.set(c.id, { name: c.name, party: c.party });
  if (contest.kind === 'BUNDESTAG') {
    for (const l of contest.lists) names.set(l.id, { name: l.name, party: l.party });
  }
  return ballotSections(contest).map((section, i) => {
    const valid = totals.counts[section.valid] ?? 0;
    const votesOf = section.choiceKind === 'candidate' ? totals.candidates : totals.lists;
    return {
      stimme: i === 0 ? 1 : 2,
      label: section.label,
      invalid: totals.counts[section.invalid] ?? 0,
      valid,
      choices: section.choices.map((choice) => {
        const votes = votesOf[choice.id] ?? 0;
        const known = names.get(choice.id);
        return {
          id: choice.id,
          name: known?.name ?? choice.id,
          party: known?.party,
          key: choice.key,
          votes,
          share: ratio(votes, valid),
        };
      }),
    };
  });
}

type BallotFrame = Pick<BallotResult, 'kind' | 'id' | 'contestIds' | 'name' | 'sections'>;

/** Status, progress, turnout and last change around a ballot's sections. */
function completeBallot(
  frame: BallotFrame,
  totals: ContestTotals,
  areaId: string,
  view: PublicationView,
): BallotResult {
  let lastChange = 0;
  let byPhone = 0;
  for (const contestId of frame.contestIds) {
    lastChange = Math.max(lastChange, view.lastChangeOf(contestId, areaId));
    byPhone += view.byPhoneOf(contestId, areaId);
  }
  const electorate = totals.counts.A ?? 0;
  const voters = totals.counts.B ?? 0;
  const complete = totals.expected > 0 && totals.reported === totals.expected;
  return {
    ...frame,
    status: complete ? 'VORLAEUFIGES_ERGEBNIS' : 'ZWISCHENERGEBNIS',
    districts: { expected: totals.expected, reported: totals.reported, byPhone },
    lastChange: lastChange > 0 ? new Date(lastChange) : null,
    electorate,
    voters,
    turnout: ratio(voters, electorate),
  };
}

/**
 * The ballots of an area: each contest covering it, then (for Bundestag contests held inside
 * it) their combined result.
 */
function ballotsOf(ctx: ModelContext, view: PublicationView, areaId: string): BallotResult[] {
  const { index } = ctx;
  const ancestors = index.ancestors(areaId);
  const ballots: BallotResult[] = [];
  const below: Contest[] = [];
  for (const contest of ctx.contestsIn.get(areaId) ?? []) {
    if (!ancestors.includes(contest.areaId)) {
      below.push(contest);
      continue;
    }
    const totals = view.totals(contest.id, areaId);
    if (totals === undefined) continue;
    const frame: BallotFrame = {
      kind: 'contest',
      id: contest.id,
      contestIds: [contest.id],
      name: { de: contest.name, en: contest.name },
      sections: contestSections(contest, totals),
    };
    ballots.push(completeBallot(frame, totals, areaId, view));
  }
  const combined = combinedBallot(below, areaId, view);
  if (combined !== undefined) {
    ballots.push(completeBallot(combined.frame, combined.totals, areaId, view));
  }
  return ballots;
}

function leaderOf(ballots: readonly BallotResult[]): AreaSummary['leader'] {
  const section = ballots[0]?.sections.at(-1);
  if (section === undefined || section.valid === 0) return undefined;
  const best = [...section.choices].sort((x, y) => y.votes - x.votes)[0];
  if (best === undefined) return undefined;
  // Zweitstimme: the party says more than the list's long name; a candidate by name
  return { name: section.stimme === 2 ? (best.party ?? best.name) : best.name, share: best.share };
}

/**
 * The ballots of areas as computed now, where a caller has them at hand (the snapshot builder's
 * areas, refreshed children first): the same as `ballotsOf` would give.
 */
export type BallotsAtHand = (areaId: string) => readonly BallotResult[] | undefined;

function summary(
  ctx: ModelContext,
  view: PublicationView,
  area: Area,
  leaderFrom: BallotsAtHand | false,
): AreaSummary {
  return {
    area,
    districts: {
      expected: ctx.index.precinctsInArea(area.id),
      reported: view.completeIn(area.id),
      byPhone: view.phonedIn(area.id),
    },
    leader:
      leaderFrom === false
        ? undefined
        : leaderOf(leaderFrom(area.id) ?? ballotsOf(ctx, view, area.id)),
  };
}

/** One area's part of the model (pure). */
export function buildAreaModel(ctx: ModelContext, view: PublicationView, area: Area): AreaModel {
  const precincts = ctx.precinctsByArea.get(area.id) ?? [];
  return {
    ...buildAreaFigures(ctx, view, area),
    districts: DistrictTable.capture(ctx.index, view, precincts).rows(),
  };
}

/**
 * An area's model without its district rows (the snapshot builder calls it for changed areas
 * only, and keeps the rows compactly beside it: district-table.ts). `children`: the sub-areas'
 * ballots as the caller has them for the same state, so each sub-area's leader is not computed
 * a second time (at national size every changed area's sub-areas were: ~3,300 areas' ballots
 * per build, most of them unchanged).
 */
export function buildAreaFigures(
  ctx: ModelContext,
  view: PublicationView,
  area: Area,
  children: BallotsAtHand = () => undefined,
): Omit<AreaModel, 'districts'> {
  const { index } = ctx;
  const ballots = ballotsOf(ctx, view, area.id);
  const lastChange = Math.max(0, ...ballots.map((b) => b.lastChange?.getTime() ?? 0));
  return {
    area,
    path: [...index.ancestors(area.id)].reverse().map((id) => index.area(id) ?? area),
    progress: summary(ctx, view, area, false).districts,
    lastChange: lastChange > 0 ? new Date(lastChange) : null,
    children: index
      .children(area.id)
      .map((id) => index.area(id))
      .filter((a): a is Area => a !== undefined && index.precinctsInArea(a.id) > 0)
      .map((a) => summary(ctx, view, a, children)),
    ballots,
  };
}

export function buildHeader(
  ctx: ModelContext,
  view: PublicationView,
  generatedAt: Date,
): ResultsHeader {
  const { definition } = ctx.index;
  return {
    election: {
      id: definition.id,
      name: definition.name,
      date: definition.date,
      kind: definition.kind,
    },
    generatedAt,
    lastChange: view.lastChange,
    lastSequence: view.lastSequence,
    reportsCounted: view.reportsCounted,
    rootAreaId: ctx.rootAreaId,
    contests: definition.contests,
    keys: new Map(definition.contests.map((c) => [c.id, view.keys(c.id)])),
    contestSequences: new Map(definition.contests.map((c) => [c.id, view.sequenceOf(c.id)])),
  };
}

/** The whole results model at one moment (pure: the time is an input). */
export function buildResultsModel(input: {
  readonly index: ElectionIndex;
  readonly view: PublicationView;
  readonly generatedAt: Date;
}): ResultsModel {
  const ctx = createModelContext(input.index);
  return {
    ...buildHeader(ctx, input.view, input.generatedAt),
    areas: ctx.treeOrder.map((area) => buildAreaModel(ctx, input.view, area)),
  };
}
