import { describe, expect, it } from 'vitest';
import { isShellBlock, parseGuide, parseMarker, unmarkedShellBlocks } from './guide-blocks.ts';

const guide = [
  '# Guide',
  '## First',
  '<!-- guide-test: run expect="ok \\"quoted\\"" -->',
  '',
  '```sh',
  'echo ok',
  '```',
  '',
  '```json',
  '{}',
  '```',
  '## Second',
  '<!-- guide-test: background ready="listening on" timeout=30 -->',
  '```bash',
  'wahlkoffer server',
  '```',
  '```sh',
  'unmarked',
  '```',
].join('\n');

describe('the guide-test markers', () => {
  it('attach to the shell block right after them, with their section', () => {
    const blocks = parseGuide(guide, 'g.md');
    expect(blocks.map((b) => [b.line, b.lang, b.section, b.marker?.mode])).toEqual([
      [5, 'sh', 'First', 'run'],
      [9, 'json', 'First', undefined],
      [14, 'bash', 'Second', 'background'],
      [17, 'sh', 'Second', undefined],
    ]);
    expect(blocks[0]!.code).toBe('echo ok');
    expect(blocks[0]!.marker!.expect!.source).toBe('ok "quoted"');
    expect(blocks[2]!.marker).toMatchObject({ timeoutSeconds: 30 });
    expect(blocks.filter(isShellBlock)).toHaveLength(3);
    expect(unmarkedShellBlocks(blocks).map((b) => b.line)).toEqual([17]);
  });

  it('refuse what they do not know, so a typo cannot silently skip a command', () => {
    expect(() => parseMarker('rnu', 'g.md:1')).toThrow(/run, background or skip/);
    expect(() => parseMarker('run expekt="x"', 'g.md:1')).toThrow(/unknown guide-test option/);
    expect(() => parseMarker('background', 'g.md:1')).toThrow(/ready=/);
    expect(() => parseMarker('skip', 'g.md:1')).toThrow(/reason=/);
    expect(parseMarker('run exit=4', 'g.md:1')).toMatchObject({ mode: 'run', exit: 4 });
    expect(parseMarker('skip reason="needs the USB stick"', 'g.md:1')).toMatchObject({
      mode: 'skip',
      reason: 'needs the USB stick',
    });
  });
});
