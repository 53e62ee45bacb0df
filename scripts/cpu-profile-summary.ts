import { readFileSync } from 'node:fs';

/**
 * `npx tsx scripts/cpu-profile-summary.ts <file.cpuprofile>… [--top N]`: where a V8 CPU profile
 * (node --cpu-prof) spent its samples — self time by function and by source (our files by path,
 * dependencies by package, Node's own modules, native/GC/idle) — as Markdown tables. Several
 * files (one per thread) are summed.
 */
type Node = {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
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
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args[topAt + 1]) : 25;
const files = args.filter((a, i) => !a.startsWith('--') && (topAt < 0 || i !== topAt + 1));

/** The bucket a source URL belongs to: a package, a Node module, or our file (repository path). */
function sourceOf(url: string, fn: string): string {
  if (url === '') return fn.startsWith('(') ? fn : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg !== null) return `npm:${pkg[1]}`;
  if (url.startsWith('node:')) return url;
  const own = /\/(central-server|pki|election|api|cli|transparency|koffer-app|bench)\/(.*)$/.exec(
    url,
  );
  return own === null ? url : `${own[1]}/${own[2]}`;
}

const byFunction = new Map<string, number>();
const bySource = new Map<string, number>();
let total = 0;
for (const file of files) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  p.samples.forEach((id, i) => {
    const us = p.timeDeltas[i + 1] ?? 0; // a sample's time is the delta to the next one
    const n = nodes.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    const src = sourceOf(url, functionName);
    const fn = `${functionName || '(anonymous)'} ${src}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    bySource.set(src, (bySource.get(src) ?? 0) + us);
    total += us;
  });
}

const table = (title: string, m: Map<string, number>, busyOnly: boolean): string => {
  const idle = m.get('(idle)') ?? 0;
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
    table('Self time by source', bySource, true) +
    '\n' +
    table('Self time by function', byFunction, true),
);
