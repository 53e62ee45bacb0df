import {
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  writeFileSync,
  mkdirSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { indexElection } from '../../../election/index.ts';
import {
  PublicationError,
  PublicationState,
  SnapshotBuilder,
  SnapshotDirectory,
  buildResultsModel,
  createModelContext,
  file,
  renderAreaPage,
  renderEml,
  renderKergCsv,
  type BuildOptions,
  type SnapshotFile,
} from '../../../central-server/publication/index.ts';
import { sha256Hex } from '../../../central-server/publication/snapshot.ts';
import { cityBriefReport, cityDefinition, cityReport } from '../../election/fixtures.ts';
import { counted, generated, T0 } from './helpers.ts';

const tmp = mkdtempSync(join(tmpdir(), 'wahlkoffer-snapshots-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function setup() {
  const index = indexElection(cityDefinition());
  const state = new PublicationState(index);
  const builder = new SnapshotBuilder(createModelContext(index), state, {
    css: 'body{}',
    timeZone: 'Europe/Berlin',
  });
  return { state, builder };
}

const options = (over: Partial<BuildOptions> = {}): BuildOptions => ({
  generatedAt: new Date(T0 + 3_600_000),
  now: () => 0,
  budgetMs: 1000,
  pause: () => Promise.resolve(),
  ...over,
});
const changed = (files: readonly { path: string; bytes: Buffer | undefined }[]) =>
  files
    .filter((f) => f.bytes !== undefined)
    .map((f) => f.path)
    .sort();

describe('the snapshot builder', () => {
  it('renders everything once, then only what a report touches', async () => {
    const { state, builder } = setup();
    const first = await builder.build(options());
    expect(changed(first.files)).toEqual([
      'gebiet-sb01.en.html',
      'gebiet-sb01.html',
      'gebiet-sb02.en.html',
      'gebiet-sb02.html',
      'index.en.html',
      'index.html',
      'ob.eml.xml',
      'ob.kerg.csv',
      'results.json',
      'style.css',
    ]);
    const idle = await builder.build(options({ generatedAt: new Date(T0 + 3_700_000) }));
    expect(changed(idle.files)).toEqual(['results.json']); // only its generatedAt moved
    state.record(counted(cityReport(), 1)); // a district of sb01
    const next = await builder.build(options());
    expect(changed(next.files)).toEqual([
      'gebiet-sb01.en.html',
      'gebiet-sb01.html',
      'index.en.html',
      'index.html',
      'ob.eml.xml',
      'ob.kerg.csv',
      'results.json',
    ]);
    expect(next.version).toBe(1);
    expect(next.deferred).toBe(0);
  });

  it('keeps results.json complete when the budget runs out, and leaves pages and contest files for later', async () => {
    const { state, builder } = setup();
    await builder.build(options());
    state.record(counted(cityReport(), 1));
    state.record(counted(cityBriefReport(), 2));
    let clock = 0;
    const tight = await builder.build(options({ now: () => (clock += 10), budgetMs: 5 }));
    expect(tight.deferred).toBeGreaterThan(0);
    expect(changed(tight.files)).toContain('results.json');
    expect(changed(tight.files)).toContain('index.html'); // the root page is never deferred
    expect(changed(tight.files)).not.toContain('ob.eml.xml');
    const json = JSON.parse(
      tight.files.find((f) => f.path === 'results.json')!.bytes!.toString(),
    ) as { lastSequence: number };
    expect(json.lastSequence).toBe(2);
    const rest = await builder.build(options());
    expect(rest.deferred).toBe(0);
    expect(changed(rest.files)).toEqual(
      expect.arrayContaining(['gebiet-sb01.html', 'ob.eml.xml', 'ob.kerg.csv']),
    );
  });

  it('renders past its budget with a quiet budget while no report arrives, and stops at the budget when one does', async () => {
    const { state, builder } = setup();
    await builder.build(options());
    state.record(counted(cityReport(), 1));
    state.record(counted(cityBriefReport(), 2));
    let clock = 0;
    const quiet = await builder.build(
      options({ now: () => (clock += 10), budgetMs: 5, quietBudgetMs: 1e6 }),
    );
    expect(quiet.deferred).toBe(0);
    expect(changed(quiet.files)).toContain('ob.eml.xml');

    const again = setup();
    await again.builder.build(options());
    again.state.record(counted(cityReport(), 1));
    let arrived = false;
    const interrupted = await again.builder.build(
      options({
        now: () => (clock += 10),
        budgetMs: 5,
        quietBudgetMs: 1e6,
        pause: () => {
          if (!arrived) again.state.record(counted(cityBriefReport(), 2));
          arrived = true;
          return Promise.resolve();
        },
      }),
    );
    expect(interrupted.deferred).toBeGreaterThan(0);
  });

  it('leaves the rest for the next build once its new files hold the bytes it may hold', async () => {
    const { state, builder } = setup();
    await builder.build(options());
    state.record(counted(cityReport(), 1));
    state.record(counted(cityBriefReport(), 2));
    const bounded = await builder.build(options({ maxHeldBytes: 1 }));
    expect(bounded.deferred).toBeGreaterThan(0);
    expect(changed(bounded.files)).toContain('index.html'); // the root page is never deferred
    const rest = await builder.build(options());
    expect(rest.deferred).toBe(0);
  });

  it('renders a report counted while a build renders (between two of its steps) in the next build, pages and contest files', async () => {
    const { state, builder } = setup();
    await builder.build(options());
    state.record(counted(cityReport(), 1));
    // the publication thread takes in reports whenever a build pauses: one arrives mid-build
    let arrived = false;
    const during = options({
      pause: () => {
        if (!arrived) state.record(counted(cityBriefReport(), 2));
        arrived = true;
        return Promise.resolve();
      },
    });
    await builder.build(during);
    const next = await builder.build(options());
    expect(next.deferred).toBe(0);
    const model = buildResultsModel({
      index: indexElection(cityDefinition()),
      view: state,
      generatedAt: options().generatedAt,
    });
    const contests = new Map(model.contests.map((c) => [c.id, c]));
    const now = new Map(next.files.map((f) => [f.path, f.sha256]));
    for (const area of model.areas) {
      const page = renderAreaPage(model, area, 'de', { timeZone: 'Europe/Berlin', contests });
      expect(now.get(page.file), page.file).toBe(sha256Hex(Buffer.from(page.html)));
    }
    const ob = model.contests[0]!;
    expect(now.get('ob.eml.xml')).toBe(sha256Hex(Buffer.from(renderEml(model, ob, model.areas))));
  });

  it('gives every page and contest file left over its turn while reports keep coming (none waits for the reports to stop)', async () => {
    const { definition, state, reports } = generated('munich-btw2025', { every: 3 });
    const index = indexElection(definition);
    const builder = new SnapshotBuilder(createModelContext(index), state, {
      css: 'body{}',
      timeZone: 'Europe/Berlin',
    });
    await builder.build(options());
    // a burst: every district reports, so every page and contest file is out of date
    let sequence = reports.length;
    for (const t of reports) state.record(counted({ ...t, revision: t.revision + 1 }, ++sequence));
    // then a report in every build (the upper pages change every time, as at national rate),
    // and a budget for one page or contest file per build besides the root's pages
    const waiting = new Set([
      ...createModelContext(index).treeOrder.map((a) => `page ${a.id}`),
      ...definition.contests.map((c) => `contest ${c.id}`),
    ]);
    const total = waiting.size;
    for (let n = 0; n < 2 * total && waiting.size > 0; n++) {
      const t = reports[n % reports.length]!;
      state.record(counted({ ...t, revision: t.revision + 2 + n }, ++sequence));
      let clock = 0;
      const built = await builder.build(options({ now: () => (clock += 10), budgetMs: 25 }));
      for (const f of built.files) {
        if (f.bytes === undefined) continue;
        const page = /^gebiet-(.+)\.html$/.exec(f.path)?.[1];
        if (page !== undefined) waiting.delete(`page ${page}`);
        const contest = /^(.+)\.eml\.xml$/.exec(f.path)?.[1];
        if (contest !== undefined) waiting.delete(`contest ${contest}`);
      }
      waiting.delete(`page ${createModelContext(index).rootAreaId}`);
    }
    // one per build, each in turn: all of them within about as many builds as there are
    expect([...waiting]).toEqual([]);
  });

  it('renders what a report touches as the whole model would, also from areas kept from earlier builds', async () => {
    const { definition, state, reports } = generated('munich-kw2020', { every: 2, phoneEvery: 7 });
    const index = indexElection(definition);
    const builder = new SnapshotBuilder(createModelContext(index), state, {
      css: 'body{}',
      timeZone: 'Europe/Berlin',
    });
    await builder.build(options());
    // the other half in two builds, the last one also a correction of a counted district
    const rest = reports.filter((_, i) => i % 2 === 1);
    let sequence = reports.length;
    for (const part of [rest.slice(0, -3), rest.slice(-3)]) {
      for (const t of part) state.record(counted(t, ++sequence));
      await builder.build(options());
    }
    const first = reports[0]!;
    state.record(
      counted(
        { ...first, revision: 2, counts: { ...first.counts, C: (first.counts.C ?? 0) + 1 } },
        sequence + 1,
      ),
    );
    const last = await builder.build(options());
    const written = last.files.filter((f) => f.bytes !== undefined);
    expect(written.length).toBeGreaterThan(3);

    const model = buildResultsModel({ index, view: state, generatedAt: options().generatedAt });
    const contests = new Map(definition.contests.map((c) => [c.id, c]));
    const whole = new Map<string, SnapshotFile>();
    for (const area of model.areas) {
      for (const lang of ['de', 'en'] as const) {
        const page = renderAreaPage(model, area, lang, { timeZone: 'Europe/Berlin', contests });
        whole.set(page.file, file(page.file, page.html));
      }
    }
    for (const contest of definition.contests) {
      const areas = model.areas.filter((a) => a.path.some((p) => p.id === contest.areaId));
      for (const f of [
        file(`${contest.id}.kerg.csv`, renderKergCsv(model, contest, areas)),
        file(`${contest.id}.eml.xml`, renderEml(model, contest, areas)),
      ]) {
        whole.set(f.path, f);
      }
    }
    const compared = written.filter((f) => whole.has(f.path));
    expect(compared.map((f) => f.path)).toEqual(
      expect.arrayContaining([`${first.contestId}.eml.xml`]),
    );
    for (const f of compared) expect(f.sha256, f.path).toBe(sha256Hex(whole.get(f.path)!.bytes));
  });

  it("takes other parts' files into the snapshot, only inside a folder", async () => {
    const { builder } = setup();
    const withExtra = await builder.build(
      options({ extras: [file('transparency/checkpoint.txt', 'tree 1\n')] }),
    );
    expect(withExtra.files.map((f) => f.path)).toContain('transparency/checkpoint.txt');
    const without = await builder.build(options({ extras: [] }));
    expect(without.files.map((f) => f.path)).not.toContain('transparency/checkpoint.txt');
    for (const path of [
      'index.html',
      'manifest.json',
      '../x/y.txt',
      'a/../b.txt',
      '.hidden/x',
      'Upper/x.txt',
      'a/b/c/d/e.txt',
    ]) {
      await expect(builder.build(options({ extras: [file(path, 'x')] }))).rejects.toMatchObject({
        code: 'EXTRA_FILE_INVALID',
      });
    }
  });
});

describe('the snapshot directory behind --publish-dir', () => {
  it('switches the link to each complete snapshot, links unchanged files, and removes superseded ones after the grace time', async () => {
    const link = join(tmp, 'public');
    const dir = await SnapshotDirectory.open(link, { graceMs: 1000, mirrorMs: 0 });
    const first = await dir.publish(
      [
        { path: 'a.txt', bytes: Buffer.from('A1') },
        { path: 'b.txt', bytes: Buffer.from('B1') },
      ],
      0,
    );
    expect(readFileSync(join(link, 'a.txt'), 'utf8')).toBe('A1');
    const second = await dir.publish(
      [
        { path: 'a.txt', bytes: Buffer.from('A2') },
        { path: 'b.txt', bytes: undefined },
      ],
      10,
    );
    expect(readlinkSync(link)).toBe(`public.snapshots/${second.split('/').at(-1)}`);
    expect(readFileSync(join(link, 'a.txt'), 'utf8')).toBe('A2');
    expect(readFileSync(join(link, 'b.txt'), 'utf8')).toBe('B1'); // linked from the first
    expect(existsSync(first)).toBe(true); // still within the grace time
    await dir.publish(
      [
        { path: 'a.txt', bytes: undefined },
        { path: 'b.txt', bytes: undefined },
      ],
      2000,
    );
    expect(existsSync(first)).toBe(false);
    expect(readdirSync(`${link}.snapshots`).some((n) => n.endsWith('.tmp'))).toBe(false);
  });

  it('refuses a --publish-dir that is a directory with files, and takes over an empty one', async () => {
    const full = join(tmp, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'index.html'), 'not ours');
    await expect(SnapshotDirectory.open(full)).rejects.toBeInstanceOf(PublicationError);
    await expect(SnapshotDirectory.open(full)).rejects.toMatchObject({
      code: 'PUBLISH_DIR_INVALID',
    });
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    const dir = await SnapshotDirectory.open(empty);
    await dir.publish([{ path: 'x.txt', bytes: Buffer.from('x') }], 0);
    expect(readFileSync(join(empty, 'x.txt'), 'utf8')).toBe('x');
  });

  it('cleans up a half-written snapshot left by a crash, and keeps serving the last complete one until the next', async () => {
    const link = join(tmp, 'crash');
    const dir = await SnapshotDirectory.open(link);
    await dir.publish([{ path: 'x.txt', bytes: Buffer.from('complete') }], 0);
    mkdirSync(join(`${link}.snapshots`, '0000000009.tmp'));
    writeFileSync(join(`${link}.snapshots`, '0000000009.tmp', 'x.txt'), 'half');
    const reopened = await SnapshotDirectory.open(link);
    expect(readFileSync(join(link, 'x.txt'), 'utf8')).toBe('complete');
    expect(readdirSync(`${link}.snapshots`)).toEqual(['0000000001']);
    await reopened.publish([{ path: 'x.txt', bytes: Buffer.from('new') }], 0);
    expect(readFileSync(join(link, 'x.txt'), 'utf8')).toBe('new');
  });
});
