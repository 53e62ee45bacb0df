import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firstUrnenwahlbezirke, generateElection, onDate } from '../../election/index.ts';
import { findFreePort } from '../../cli/demo/workspace.ts';
import { runGuide, stopAllBlocks } from './guide-runner.ts';

const sandbox = mkdtempSync(path.join(tmpdir(), 'wk-office-guide-'));
afterAll(async () => {
  await stopAllBlocks();
  rmSync(sandbox, { recursive: true, force: true });
});

/**
 * What the office has before the guide begins: its own election definition (here a small
 * generated one, held today) and the mounted CA stick.
 */
function officeMachine(home: string): void {
  const srv = path.join(home, 'srv', 'wahlkoffer');
  mkdirSync(srv, { recursive: true });
  mkdirSync(path.join(home, 'media', 'ca-stick'), { recursive: true });
  const today = new Date().toISOString().slice(0, 10);
  const election = onDate(firstUrnenwahlbezirke(generateElection('munich-kw2020', 3), 2), today);
  writeFileSync(path.join(srv, 'election.json'), JSON.stringify(election.definition));
}

describe('docs/guides/office.md', () => {
  it('runs as written: rehearsal, ceremony, election night, a stolen kit, the auditors’ files', async () => {
    officeMachine(path.join(sandbox, 'home'));
    const port = String(await findFreePort());
    const runs = await runGuide({
      guide: 'docs/guides/office.md',
      sandbox,
      substitutions: [
        // the office machine's folders, inside the sandbox
        { from: '/srv/wahlkoffer', to: '$HOME/srv/wahlkoffer' },
        { from: '/media/ca-stick', to: '$HOME/media/ca-stick' },
        // a free port instead of the guide's 8080
        { from: '8080', to: port },
        // small and cheap: two districts instead of twenty, the test key derivation
        { from: '--urnenwahlbezirke 20', to: '--urnenwahlbezirke 2' },
        { from: 'pki init', to: 'pki init --insecure-test-kdf' },
      ],
    });
    expect(runs.length).toBeGreaterThanOrEqual(10);
  }, 600_000);
});
