import { describe, expect, it } from 'vitest';
import { GroupCommitQueue } from '../../../central-server/intake/group-commit.ts';
import { createLogger } from '../../../central-server/logger.ts';

/**
 * A writer whose commits finish only when the test says so, recording what happens in which
 * order: `prepare n` and `commit n` (batch n = the items it holds, joined).
 */
function harness(
  options: {
    failCommit?: string;
    failPrepare?: string;
    maxHoldMs?: number;
    failHolds?: number;
  } = {},
) {
  const events: string[] = [];
  const commits: { name: string; finish: () => void }[] = [];
  let holds = 0;
  const queue = new GroupCommitQueue<string, string, string>({
    maxBatch: 100,
    maxQueue: 100,
    prepare: async (items) => {
      const name = items.join('+');
      events.push(`prepare ${name}`);
      if (name === options.failPrepare) throw new Error('decision failed');
      return name;
    },
    commit: (name) => {
      events.push(`commit ${name}`);
      return new Promise((resolve, reject) => {
        commits.push({
          name,
          finish: () => {
            events.push(`committed ${name}`);
            if (name === options.failCommit) reject(new Error('disk full'));
            else resolve(name.split('+').map((item) => `ok ${item}`));
          },
        });
      });
    },
    recover: async () => {
      events.push('recover');
    },
    hold: async (run) => {
      holds++;
      if (holds <= (options.failHolds ?? 0)) throw new Error('database lock unavailable');
      events.push('hold');
      await run();
      events.push('release');
    },
    maxHoldMs: options.maxHoldMs ?? 10_000,
    minAhead: 1,
    failed: 'failed',
    busy: 'busy',
    logger: createLogger('silent'),
  });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
  /** finishes the oldest commit in flight */
  const finishCommit = async () => {
    await settle();
    commits.shift()!.finish();
    await settle();
  };
  return { queue, events, finishCommit, settle, holds: () => holds };
}

describe('the group-commit queue', () => {
  it('prepares the next batch while the previous one commits, and commits them in order', async () => {
    const { queue, events, finishCommit, settle } = harness();
    const a = queue.submit('a');
    await settle();
    const b = queue.submit('b');
    const c = queue.submit('c');
    await settle();
    // "b+c" is prepared while "a" commits, but not committed before "a" is
    expect(events).toEqual(['hold', 'prepare a', 'commit a', 'prepare b+c']);
    await finishCommit();
    expect(await a).toBe('ok a');
    expect(events.slice(4)).toEqual(['committed a', 'commit b+c']);
    await finishCommit();
    expect([await b, await c]).toEqual(['ok b', 'ok c']);
    await queue.flush();
    expect(events.slice(6)).toEqual(['committed b+c', 'release']);
  });

  it('keeps at most two batches in flight: one committing, one prepared', async () => {
    const { queue, events, finishCommit, settle } = harness();
    const answers = [queue.submit('a')];
    await settle();
    answers.push(queue.submit('b'));
    await settle();
    answers.push(queue.submit('c'));
    await settle();
    expect(events).toEqual(['hold', 'prepare a', 'commit a', 'prepare b']);
    await finishCommit();
    expect(events.slice(4)).toEqual(['committed a', 'commit b', 'prepare c']);
    await finishCommit();
    await finishCommit();
    expect(await Promise.all(answers)).toEqual(['ok a', 'ok b', 'ok c']);
  });

  it('when a commit fails, fails the batch prepared on top of it without committing it, then recovers', async () => {
    const { queue, events, finishCommit, settle } = harness({ failCommit: 'a' });
    const a = queue.submit('a');
    await settle();
    const b = queue.submit('b');
    await settle();
    await finishCommit();
    expect([await a, await b]).toEqual(['failed', 'failed']);
    await queue.flush();
    expect(events).toEqual([
      'hold',
      'prepare a',
      'commit a',
      'prepare b',
      'committed a',
      'recover',
      'release',
    ]);
    // the queue goes on once the state is recovered
    const d = queue.submit('d');
    await finishCommit();
    expect(await d).toBe('ok d');
  });

  it('when a prepare fails, lets the commit in flight finish before it recovers', async () => {
    const { queue, events, finishCommit, settle } = harness({ failPrepare: 'b' });
    const a = queue.submit('a');
    await settle();
    const b = queue.submit('b');
    await settle();
    expect(events).toEqual(['hold', 'prepare a', 'commit a', 'prepare b']);
    await finishCommit();
    expect([await a, await b]).toEqual(['ok a', 'failed']);
    await queue.flush();
    expect(events.slice(4)).toEqual(['committed a', 'recover', 'release']);
  });

  it('lets go of the hold after maxHoldMs, so other writers get the lock between runs', async () => {
    const { queue, events, finishCommit, settle, holds } = harness({ maxHoldMs: 0 });
    const a = queue.submit('a');
    await settle();
    const b = queue.submit('b');
    await settle();
    // the hold is over before "b" is prepared: "a" commits alone, then a new hold takes "b"
    expect(events).toEqual(['hold', 'prepare a', 'commit a']);
    await finishCommit();
    await settle();
    expect(events.slice(3)).toEqual(['committed a', 'release', 'hold', 'prepare b', 'commit b']);
    await finishCommit();
    expect([await a, await b]).toEqual(['ok a', 'ok b']);
    expect(holds()).toBe(2);
  });

  it('when the hold cannot be taken, fails the batch it was for and goes on', async () => {
    const { queue, events, finishCommit, settle } = harness({ failHolds: 1 });
    const a = queue.submit('a');
    expect(await a).toBe('failed');
    expect(events).toEqual([]);
    const b = queue.submit('b');
    await settle();
    await finishCommit();
    expect(await b).toBe('ok b');
    expect(events).toEqual(['hold', 'prepare b', 'commit b', 'committed b', 'release']);
  });

  it('answers busy without queueing when maxQueue items wait', async () => {
    const { queue, finishCommit, settle } = harness();
    const first = queue.submit('a');
    await settle();
    const waiting = Array.from({ length: 100 }, (_, i) => queue.submit(`w${i}`));
    expect(await queue.submit('one too many')).toBe('busy');
    await finishCommit();
    await finishCommit();
    expect(await first).toBe('ok a');
    expect((await Promise.all(waiting)).every((o) => o.startsWith('ok'))).toBe(true);
  });
});
