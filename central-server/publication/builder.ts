import type { Contest } from '../../election/index.ts';
import { buildAreaFigures, buildHeader, type ModelContext } from './compute.ts';
import { DistrictTable } from './district-table.ts';
import { renderAreaPage } from './html/area-page.ts';
import type { AreaModel, ResultsHeader } from './model.ts';
import { emlParts } from './render-eml.ts';
import { renderAreaJson, renderResultsJsonBytes } from './render-json.ts';
import { kergParts } from './render-kerg.ts';
import { PublicationError } from './errors.ts';
import {
  EXTRA_PATH,
  file,
  ownUtf8,
  sha256Hex,
  type ManifestEntry,
  type SnapshotFile,
} from './snapshot.ts';
import type { PublicationState } from './state.ts';
import { isStaged, type StagedFile, type StagingArea } from './staging.ts';

/**
 * A file of the current snapshot; `bytes` or `staged` only while it is new (else it is on disk).
 */
export type BuiltFile = ManifestEntry & {
  readonly contentType: string;
  /** set when the file changed in this build (the writer writes it; others are linked) */
  readonly bytes: Buffer | undefined;
  /** instead of `bytes`, a large changed file: where it was written (staging.ts) */
  readonly staged?: string;
};

export type BuiltSnapshot = {
  readonly header: ResultsHeader;
  readonly files: readonly BuiltFile[];
  /** the state version the snapshot shows (everything counted up to it) */
  readonly version: number;
  /** pages and contest files left for the next build because the time budget ran out */
  readonly deferred: number;
};

export type BuildOptions = {
  readonly generatedAt: Date;
  /** monotonic milliseconds, for the budget */
  readonly now: () => number;
  /** after this many ms, leave remaining pages and contest files to the next build */
  readonly budgetMs: number;
  /** instead of `budgetMs`, as long as no report is counted while the build renders */
  readonly quietBudgetMs?: number;
  /**
   * once the new files of this build hold this many bytes in memory (until it is written; a
   * staged file holds none), leave remaining pages and contest files to the next build too
   */
  readonly maxHeldBytes?: number;
  /** lets other work run between two steps (the intake shares the thread) */
  readonly pause: () => Promise<void>;
  /** files other parts add to this snapshot (see `PublicationHooks`), signed with the rest */
  readonly extras?: readonly SnapshotFile[];
  /** where the contest files go as they are rendered; without it they are made in memory */
  readonly stage?: StagingArea;
};

/**
 * An area as of its last change: its model without the district rows, which are kept compactly
 * and built again when a page or a contest file is rendered (decision 0067), and its fragment
 * of results.json.
 */
type CachedArea = {
  readonly version: number;
  readonly model: Omit<AreaModel, 'districts'>;
  readonly districts: DistrictTable;
  /** its entry of results.json, in UTF-8 */
  readonly json: Buffer;
};

const EMPTY = Buffer.alloc(0);

/** An area's pages or a contest's files to render. */
type Work =
  | { readonly key: string; readonly page: CachedArea; readonly contest?: undefined }
  | { readonly key: string; readonly page: undefined; readonly contest: Contest };

const withRows = (c: CachedArea): AreaModel => ({ ...c.model, districts: c.districts.rows() });

/**
 * Builds snapshots incrementally (pure apart from `pause`): an area's model, JSON fragment and
 * pages are rebuilt only when a district in its subtree changed, a contest's kerg CSV and EML only
 * when one of its districts changed; unchanged files keep their bytes and hash. results.json is
 * complete in every snapshot; when a build runs out of its budget, the remaining pages (deepest
 * areas last) and contest files follow in the next build, each file stating its own "Stand".
 */
export class SnapshotBuilder {
  private readonly areas = new Map<string, CachedArea>();
  private readonly pagesAt = new Map<string, number>();
  private readonly contestsAt = new Map<string, number>();
  /** per page (area id) and contest file (NUL + contest id): the build that last rendered it */
  private readonly renderedIn = new Map<string, number>();
  private builds = 0;
  /** every file of the current snapshot as on disk (`bytes` undefined) */
  private readonly files = new Map<string, BuiltFile>();
  private readonly byId: ReadonlyMap<string, Contest>;
  /** per contest, the ids of its area's subtree in tree order */
  private readonly subtrees = new Map<string, readonly string[]>();
  private extras = new Set<string>();

  constructor(
    private readonly ctx: ModelContext,
    private readonly state: PublicationState,
    private readonly options: { readonly css: string; readonly timeZone: string },
  ) {
    this.byId = new Map(ctx.index.definition.contests.map((c) => [c.id, c]));
  }

  async build(o: BuildOptions): Promise<BuiltSnapshot> {
    const version = this.state.version;
    const changed = new Map<string, SnapshotFile | StagedFile>();
    let held = 0;
    const put = (f: SnapshotFile | StagedFile) => {
      changed.set(f.path, f);
      if (!isStaged(f)) held += f.bytes.length;
    };
    const contestFile = (path: string, parts: Iterable<string>) =>
      o.stage === undefined ? file(path, [...parts].join('')) : o.stage.write(path, parts);
    if (!this.files.has('style.css')) put(file('style.css', this.options.css));
    // the header, every changed area and the contests' versions are taken in one step (no pause
    // between them): reports the thread takes in while this build renders change the versions,
    // and their pages and contest files follow in the next build
    const header = buildHeader(this.ctx, this.state, o.generatedAt);
    this.refreshAreas();
    const contestsNow = new Map(
      this.ctx.index.definition.contests.map((c) => [c.id, this.state.contestVersion(c.id)]),
    );
    put(
      file(
        'results.json',
        renderResultsJsonBytes(
          header,
          this.ctx.treeOrder.map((a) => this.areas.get(a.id)?.json ?? EMPTY),
        ),
      ),
    );
    const started = o.now();
    const quietBudgetMs = o.quietBudgetMs ?? o.budgetMs;
    const within = () =>
      held < (o.maxHeldBytes ?? Number.POSITIVE_INFINITY) &&
      o.now() - started < (this.state.version === version ? quietBudgetMs : o.budgetMs);
    let deferred = 0;
    // an area's district rows, made for its pages, serve its contests' files in this build too
    // (its table does not change within a build); dropped with the build, as between builds an
    // area keeps only its table (decision 0067). A complete build (no budget) renders every
    // page: keeping all their rows until the contest files would hold the whole night's at once,
    // so it makes them again for the contest files.
    const paged = new Map<CachedArea, AreaModel>();
    const keepRows = Number.isFinite(o.budgetMs);
    this.builds += 1;
    for (const work of this.outOfDate(contestsNow)) {
      const root = work.page?.model.area.id === this.ctx.rootAreaId;
      if (!within() && !root) {
        deferred += 1;
        continue;
      }
      if (work.page !== undefined) {
        const cached = work.page;
        const area = paged.get(cached) ?? withRows(cached);
        if (keepRows) paged.set(cached, area);
        for (const lang of ['de', 'en'] as const) {
          const page = renderAreaPage(header, area, lang, {
            timeZone: this.options.timeZone,
            contests: this.byId,
          });
          put(file(page.file, page.html));
        }
        this.pagesAt.set(area.area.id, cached.version);
      } else {
        const contest = work.contest;
        const areas = this.subtree(contest).map((c) => paged.get(c) ?? withRows(c));
        put(contestFile(`${contest.id}.kerg.csv`, kergParts(header, contest, areas)));
        put(contestFile(`${contest.id}.eml.xml`, emlParts(header, contest, areas)));
        this.contestsAt.set(contest.id, contestsNow.get(contest.id) ?? 0);
      }
      this.renderedIn.set(work.key, this.builds);
      await o.pause();
    }
    this.takeExtras(o.extras ?? [], put);
    return { header, files: this.commit(changed), version, deferred };
  }

  /** Extra files replace those of the previous build; they live in folders (EXTRA_PATH). */
  private takeExtras(extras: readonly SnapshotFile[], put: (f: SnapshotFile) => void): void {
    const paths = new Set(extras.map((f) => f.path));
    for (const f of extras) {
      if (!EXTRA_PATH.test(f.path) || paths.size !== extras.length) {
        throw new PublicationError('EXTRA_FILE_INVALID', `extra file ${JSON.stringify(f.path)}`);
      }
      put(f);
    }
    for (const old of this.extras) if (!paths.has(old)) this.files.delete(old);
    this.extras = paths;
  }

  /**
   * Every dirty area's model and JSON fragment, kept current in every build. In one step, so
   * that every area shows the same state (a pause let reports in between two areas), and
   * deepest first: an area's sub-areas are current when it is made, and their ballots give
   * its sub-area leaders (`buildAreaFigures`).
   */
  private refreshAreas(): void {
    const order = this.ctx.treeOrder;
    const ballotsAtHand = (id: string) => this.areas.get(id)?.model.ballots;
    for (let i = order.length - 1; i >= 0; i--) {
      const area = order[i]!;
      const version = this.state.areaVersion(area.id);
      const cached = this.areas.get(area.id);
      if (cached !== undefined && cached.version === version) continue;
      const model = buildAreaFigures(this.ctx, this.state, area, ballotsAtHand);
      const districts = DistrictTable.capture(
        this.ctx.index,
        this.state,
        this.ctx.precinctsByArea.get(area.id) ?? [],
      );
      // kept for long: a buffer of its own, not a slice pinning Node's pool
      const json = ownUtf8(renderAreaJson(model));
      this.areas.set(area.id, { version, model, districts, json });
    }
  }

  /**
   * The pages and contest files out of date, in the order they are rendered: the root's pages
   * first (never left over), then whatever was rendered longest ago (pages before contest files,
   * higher areas before deeper ones, as before, when that is the same build). So when builds run
   * out of their budget, as they do at national rate, every file takes its turn: before, the
   * upper pages (changed in every build) took every budget, and leaf pages and contest files
   * waited until the reports stopped.
   */
  private outOfDate(contestsNow: ReadonlyMap<string, number>): Work[] {
    const work: (Work & { depth: number })[] = [];
    for (const a of this.ctx.treeOrder) {
      const c = this.areas.get(a.id);
      if (c === undefined || this.pagesAt.get(a.id) === c.version) continue;
      work.push({ key: a.id, page: c, depth: c.model.path.length });
    }
    for (const contest of this.ctx.index.definition.contests) {
      const at = contestsNow.get(contest.id) ?? 0;
      if (this.files.has(`${contest.id}.eml.xml`) && this.contestsAt.get(contest.id) === at)
        continue;
      work.push({
        key: `\u0000${contest.id}`,
        page: undefined,
        contest,
        depth: Number.MAX_SAFE_INTEGER,
      });
    }
    const last = (w: Work) =>
      w.page?.model.area.id === this.ctx.rootAreaId ? -1 : (this.renderedIn.get(w.key) ?? 0);
    return work.sort((x, y) => last(x) - last(y) || x.depth - y.depth);
  }

  /**
   * The contest's area and every area below it, in tree order. Which areas those are is found
   * once per contest (the tree does not change): walking every area's path for each contest
   * file of every build was ~7 % of the publication thread at national size.
   */
  private subtree(contest: Contest): CachedArea[] {
    let ids = this.subtrees.get(contest.id);
    if (ids === undefined) {
      ids = this.ctx.treeOrder
        .filter((a) => this.areas.get(a.id)?.model.path.some((p) => p.id === contest.areaId))
        .map((a) => a.id);
      this.subtrees.set(contest.id, ids);
    }
    return ids.map((id) => this.areas.get(id)).filter((c): c is CachedArea => c !== undefined);
  }

  /**
   * Records the new files' hashes; returns every file, with bytes (or where it was staged) for
   * the changed ones. An unchanged file is handed over as the same object every build (no object
   * per file per build); a staged one the same as on disk stays where it is (cleared later).
   */
  private commit(changed: Map<string, SnapshotFile | StagedFile>): BuiltFile[] {
    const fresh = new Map<string, BuiltFile>();
    for (const f of changed.values()) {
      const sha256 = isStaged(f) ? f.sha256 : sha256Hex(f.bytes);
      if (this.files.get(f.path)?.sha256 === sha256) continue; // same bytes as on disk: linked
      const entry = {
        path: f.path,
        size: isStaged(f) ? f.size : f.bytes.length,
        sha256,
        contentType: f.contentType,
        bytes: undefined,
      };
      this.files.set(f.path, entry);
      fresh.set(
        f.path,
        isStaged(f) ? { ...entry, staged: f.staged } : { ...entry, bytes: f.bytes },
      );
    }
    const out: BuiltFile[] = [];
    for (const f of this.files.values()) out.push(fresh.get(f.path) ?? f);
    return out;
  }
}
