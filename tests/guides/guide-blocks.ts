/**
 * The shell blocks of a guide in docs/guides/, with the marker that says how the guide test runs
 * each one. A marker is an HTML comment (invisible on GitHub) on the line right before the fence:
 *
 *   <!-- guide-test: run -->                         runs; must exit 0
 *   <!-- guide-test: run exit=1 expect="revoked" --> must exit 1; the output must match the regex
 *   <!-- guide-test: background ready="listening on" -->
 *                                                    a long-running command (a second terminal):
 *                                                    started, the test waits for `ready` in its
 *                                                    output, and stops it when its `## ` section
 *                                                    ends (the reader's Ctrl-C)
 *   <!-- guide-test: skip reason="needs the CA's USB stick" -->
 *                                                    shown to the reader, never run
 *
 * In a tested guide every sh/bash/shell/console block needs a marker: a new command cannot slip
 * in untested without someone deciding so in writing.
 */

export type BlockMode = 'run' | 'background' | 'skip';

export type BlockMarker = {
  readonly mode: BlockMode;
  /** expected exit code (run blocks); default 0 */
  readonly exit: number;
  /** regex the block's stdout+stderr must match */
  readonly expect?: RegExp;
  /** background blocks: regex that says the command is ready */
  readonly ready?: RegExp;
  /** skip blocks: why this block is not run */
  readonly reason?: string;
  readonly timeoutSeconds: number;
};

export type GuideBlock = {
  /** 1-based line of the opening fence */
  readonly line: number;
  /** the `## ` heading the block stands under: a background block runs until that section ends */
  readonly section: string;
  readonly lang: string;
  readonly code: string;
  readonly marker: BlockMarker | undefined;
};

const SHELL_LANGS = new Set(['sh', 'bash', 'shell', 'console']);
const MARKER = /^<!--\s*guide-test:\s*(.*?)\s*-->$/;
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/;
const OPTION = /([a-z]+)=(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;

export const isShellBlock = (block: GuideBlock): boolean => SHELL_LANGS.has(block.lang);

/** Parses the text after `guide-test:`; throws on anything it does not know (typos fail loudly). */
export function parseMarker(text: string, where: string): BlockMarker {
  const [mode, ...rest] = text.split(/\s+/);
  if (mode !== 'run' && mode !== 'background' && mode !== 'skip') {
    throw new Error(`${where}: guide-test marker needs run, background or skip, got "${text}"`);
  }
  const options = new Map<string, string>();
  const optionText = rest.join(' ');
  let consumed = '';
  for (const m of optionText.matchAll(OPTION)) {
    options.set(m[1]!, (m[2] ?? m[3] ?? '').replace(/\\"/g, '"'));
    consumed += m[0];
  }
  if (consumed.replace(/\s/g, '').length !== optionText.replace(/\s/g, '').length) {
    throw new Error(`${where}: cannot read the options of guide-test marker "${text}"`);
  }
  for (const key of options.keys()) {
    if (!['exit', 'expect', 'ready', 'reason', 'timeout'].includes(key)) {
      throw new Error(`${where}: unknown guide-test option "${key}"`);
    }
  }
  const exit = Number(options.get('exit') ?? '0');
  const timeoutSeconds = Number(options.get('timeout') ?? '180');
  if (!Number.isInteger(exit) || !Number.isFinite(timeoutSeconds)) {
    throw new Error(`${where}: exit and timeout must be numbers in "${text}"`);
  }
  const expect = options.get('expect');
  const ready = options.get('ready');
  const reason = options.get('reason');
  if (mode === 'background' && ready === undefined) {
    throw new Error(`${where}: a background block needs ready="<regex>"`);
  }
  if (mode === 'skip' && (reason === undefined || reason.length < 3)) {
    throw new Error(`${where}: a skipped block needs reason="<why>"`);
  }
  return {
    mode,
    exit,
    timeoutSeconds,
    ...(expect === undefined ? {} : { expect: new RegExp(expect, 'm') }),
    ...(ready === undefined ? {} : { ready: new RegExp(ready, 'm') }),
    ...(reason === undefined ? {} : { reason }),
  };
}

/** Every fenced code block of a Markdown text, with the marker right before it (if any). */
export function parseGuide(markdown: string, name: string): GuideBlock[] {
  const lines = markdown.split('\n');
  const blocks: GuideBlock[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    if (/^#{1,2} /.test(lines[i]!)) section = lines[i]!.replace(/^#+ /, '');
    const open = FENCE.exec(lines[i]!);
    if (open === null) continue;
    const [, indent = '', fence = '', lang = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      const trimmed = line.trim();
      if (trimmed.length >= fence.length && trimmed === fence[0]!.repeat(trimmed.length)) break;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
    }
    let k = i - 1;
    while (k >= 0 && lines[k]!.trim() === '') k--;
    const previous = k >= 0 ? MARKER.exec(lines[k]!.trim()) : null;
    const where = `${name}:${i + 1}`;
    blocks.push({
      line: i + 1,
      section,
      lang,
      code: body.join('\n'),
      marker: previous === null ? undefined : parseMarker(previous[1]!, where),
    });
    i = j;
  }
  return blocks;
}

/** Shell blocks without a marker: each one is a command nobody decided about. */
export function unmarkedShellBlocks(blocks: readonly GuideBlock[]): GuideBlock[] {
  return blocks.filter((b) => isShellBlock(b) && b.marker === undefined);
}
