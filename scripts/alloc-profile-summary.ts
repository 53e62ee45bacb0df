import { readFileSync } from 'node:fs';
import { originalPosition, sourceOf, type CallFrame } from './profile-sources.ts';

/**
 * `npx tsx scripts/alloc-profile-summary.ts <file.heapprofile> [--top N]`: what a sampled
 * allocation profile (scripts/alloc-sampling.mjs) says was allocated, as Markdown tables — bytes
 * by function itself (self) and with what it calls (total), each function named by its source
 * file and line through the bundle's source map, as scripts/cpu-profile-summary.ts names them.
 */
type HeapNode = {
  readonly callFrame: CallFrame;
  readonly selfSize: number;
  readonly children: readonly HeapNode[];
};

const args = process.argv.slice(2);
const at = args.indexOf('--top');
const top = at >= 0 ? Number(args[at + 1]) : 30;
const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--top');
if (file === undefined)
  throw new Error('usage: alloc-profile-summary.ts <file.heapprofile> [--top N]');
const { head } = JSON.parse(readFileSync(file, 'utf8')) as { head: HeapNode };

const names = new Map<CallFrame, string>();
function nameOf(frame: CallFrame): string {
  let name = names.get(frame);
  if (name === undefined) {
    const { url, lineNumber } = originalPosition(frame);
    const fn = frame.functionName;
    name = `${fn || '(anonymous)'} ${sourceOf(url, fn)}:${lineNumber + 1}`;
    names.set(frame, name);
  }
  return name;
}

const self = new Map<string, number>();
const total = new Map<string, number>();
let all = 0;
/** Sums a node's bytes; a function counts once in `total` however often it recurs on a stack. */
function walk(node: HeapNode, onStack: ReadonlySet<string>): number {
  const name = nameOf(node.callFrame);
  self.set(name, (self.get(name) ?? 0) + node.selfSize);
  all += node.selfSize;
  const below = new Set(onStack).add(name);
  let sum = node.selfSize;
  for (const child of node.children) sum += walk(child, below);
  if (!onStack.has(name)) total.set(name, (total.get(name) ?? 0) + sum);
  return sum;
}
walk(head, new Set());

const table = (title: string, m: ReadonlyMap<string, number>): string =>
  [
    `### ${title}`,
    '',
    '| | MB | % of all |',
    '|---|---|---|',
    ...[...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `| ${k} | ${(v / 1e6).toFixed(1)} | ${((100 * v) / all).toFixed(1)} |`),
    '',
  ].join('\n');
console.log(`${file}: ${(all / 1e6).toFixed(1)} MB allocated (sampled)\n`);
console.log(table('Allocated by function itself', self));
console.log(table('Allocated by function and what it calls', total));
