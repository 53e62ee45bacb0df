import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '../../../central-server/index.ts';
import { loadElection } from '../../../central-server/index.ts';
import { IntakeState } from '../../../central-server/intake/intake-state.ts';
import { createLogger } from '../../../central-server/logger.ts';
import { openStorage, type OpenedStorage } from '../../../central-server/storage/open-storage.ts';
import { freshDatabase } from '../../postgres/database.ts';
import {
  createOffice,
  openSession,
  startTestServer,
  submit,
  urneReport,
  type Office,
} from '../fixture.ts';

/*
 * A second server's mirror of the database (IntakeState) catches up with what another server
 * committed. When a read of that catch-up fails half-way (PostgreSQL restarting), the mirror must
 * stay as it was, so the next catch-up takes the reports in and counts them.
 */
let office: Office;
let server: RunningServer;
let storage: OpenedStorage;

beforeAll(async () => {
  office = await createOffice();
  const url = await freshDatabase('catch-up-failure');
  server = await startTestServer(office, url, undefined, {
    publishDir: join(office.dir, 'publication'),
  });
  storage = await openStorage(url, createLogger('silent'));
});
afterAll(async () => {
  await storage?.close();
  await server?.close();
  office?.cleanup();
});

describe('a catch-up whose database read fails half-way', () => {
  it('changes nothing, and the next one counts what the other server accepted', async () => {
    const index = await loadElection(office.electionFile);
    const mirror = await IntakeState.load(storage.repository, index);
    expect(mirror.results.reportsCounted).toBe(0);

    const kit = office.kits.get('P1')!;
    const token = (await openSession(server, kit)).body.token as string;
    const answer = await submit(server, token, await kit.seal(urneReport('P1', [300, 250, 140])));
    expect(answer.status).toBe(201);

    // the transparency log's nodes are read last; the connection is cut at that moment
    const read = vi
      .spyOn(storage.repository, 'logNodes')
      .mockRejectedValueOnce(new Error('terminating connection due to administrator command'));
    await expect(mirror.catchUp()).rejects.toThrow(/administrator command/);
    expect(read).toHaveBeenCalledTimes(1);
    expect(mirror.results.reportsCounted).toBe(0);

    await mirror.catchUp();
    expect(mirror.results.reportsCounted).toBe(1);
    expect(mirror.counters.lastSequence).toBe(answer.body.sequence);
  });
});
