import { readFileSync } from 'node:fs';
import { originalPosition, sourceOf } from './profile-sources.ts';

/**
 * `npx tsx scripts/cpu-profile-summary.ts <file.cpuprofile>… [--top N]`: where a V8 CPU profile
 * (node --cpu-prof) spent its samples — self time by function and by source (our files by path,
 * dependencies by package, Node's own modules, native/GC/idle) — as Markdown tables. Several
 * files (one per thread) are summed. `--from <regex>` drops every file's samples before the first
 * sample (in any of the files) whose function name matches, e.g. `--from signReceipt` to leave
 * out the start-up (the threads of one process share one clock), `--until <regex>` likewise drops
 * those after the last such sample (the shutdown); `--only <text>` then sums only
 * the files whose name contains the text (one thread, cut at the same moment). A function in a
 * bundle (the server's threads run esbuild bundles, decision 0067) is named by the source file
 * and line it came from, read from the source map beside the bundle (`<bundle>.map`, node's own
 * reader); without a map it keeps the bundle's name. The last table gives each function's total
 * time, its callees' included.
 */
type Node = {
  readonly id: number;
  readonly callFrame: {
    functionName: string;
    url: string;
    lineNumber: number;
    columnNumber: number;
  };
  readonly children?: number[];
};
type Profile = {
  readonly nodes: Node[];
  readonly samples: number[];
  readonly timeDeltas: number[];
  readonly startTime: number;
  readonly endTime: number;
};

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const top = Number(option('--top') ?? 25);
const fromPattern = option('--from');
const untilPattern = option('--until');
const files = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));

/** Each sample's timestamp (µs on the process's clock): the profile's start plus the deltas. */
function sampleTimes(p: Profile): number[] {
  let t = p.startTime;
  return p.timeDeltas.map((d) => (t += d));
}

const profiles = files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as Profile);

/** The times of the samples under a function whose name matches (itself or any caller). */
function matchingTimes(p: Profile, re: RegExp): number[] {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const matching = new Set<number>();
  const mark = (id: number): void => {
    if (matching.has(id)) return;
    matching.add(id);
    for (const c of byId.get(id)?.children ?? []) mark(c);
  };
  for (const n of p.nodes) if (re.test(n.callFrame.functionName)) mark(n.id);
  const times = sampleTimes(p);
  return p.samples.flatMap((id, i) => (matching.has(id) ? [times[i]!] : []));
}

let from = Number.NEGATIVE_INFINITY;
if (fromPattern !== undefined) {
  const re = new RegExp(fromPattern);
  from = Math.min(...profiles.map((p) => matchingTimes(p, re)[0] ?? Number.POSITIVE_INFINITY));
}
let until = Number.POSITIVE_INFINITY;
if (untilPattern !== undefined) {
  const re = new RegExp(untilPattern);
  until = Math.max(...profiles.map((p) => matchingTimes(p, re).at(-1) ?? Number.NEGATIVE_INFINITY));
}

const byFunction = new Map<string, number>();
/** time of samples with the function anywhere on their stack (each function once per sample) */
const inclusive = new Map<string, number>();
const bySource = new Map<string, number>();
let total = 0;
const busyByFile: string[] = [];
const onlyFile = option('--only');
for (const [k, p] of profiles.entries()) {
  if (onlyFile !== undefined && !files[k]!.includes(onlyFile)) continue;
  let busy = 0;
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  const parents = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parents.set(c, n.id);
  const names = new Map<number, string>();
  const nameOf = (n: Node): string => {
    let name = names.get(n.id);
    if (name === undefined) {
      const { url, lineNumber } = originalPosition(n.callFrame);
      const { functionName } = n.callFrame;
      name = `${functionName || '(anonymous)'} ${sourceOf(url, functionName)}:${lineNumber + 1}`;
      names.set(n.id, name);
    }
    return name;
  };
  const times = sampleTimes(p);
  p.samples.forEach((id, i) => {
    if (times[i]! < from || times[i]! > until) return;
    const us = p.timeDeltas[i + 1] ?? 0; // a sample's time is the delta to the next one
    const n = nodes.get(id)!;
    const { functionName } = n.callFrame;
    const { url, lineNumber } = originalPosition(n.callFrame);
    const src = sourceOf(url, functionName);
    const fn = `${functionName || '(anonymous)'} ${src}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      onStack.add(nameOf(nodes.get(at)!));
    }
    for (const name of onStack) inclusive.set(name, (inclusive.get(name) ?? 0) + us);
    bySource.set(src, (bySource.get(src) ?? 0) + us);
    total += us;
    if (src !== '(idle)') busy += us;
  });
  busyByFile.push(`- ${files[k]}: ${(busy / 1000).toFixed(0)} ms busy`);
}

const table = (title: string, m: Map<string, number>, busyOnly: boolean): string => {
  const idle = bySource.get('(idle)') ?? 0;
  const base = busyOnly ? total - idle : total;
  const rows = [...m.entries()]
    .filter(([k]) => !(busyOnly && k.startsWith('(idle)')))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(
      ([k, us]) =>
        `| ${k.replaceAll('|', '\\|')} | ${(us / 1000).toFixed(0)} | ${((100 * us) / base).toFixed(1)} |`,
    );
  return [`### ${title}`, '', '| | ms | % of busy |', '|---|---|---|', ...rows, ''].join('\n');
};

const idleUs = bySource.get('(idle)') ?? 0;
process.stdout.write(
  `${files.length} profile(s), ${(total / 1000).toFixed(0)} ms sampled, ${((total - idleUs) / 1000).toFixed(0)} ms busy\n\n` +
    `${busyByFile.join('\n')}\n\n` +
    table('Self time by source', bySource, true) +
    '\n' +
    table('Self time by function', byFunction, true) +
    '\n' +
    table('Total time by function (itself and what it calls)', inclusive, true),
);
