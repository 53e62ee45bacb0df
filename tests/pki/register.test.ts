import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_SCRYPT_COST,
  alreadyIssued,
  initPki,
  issueStations,
  loadServerMaterial,
  openCa,
} from '../../pki/index.ts';
import { smallElection } from './fixtures.ts';

const now = new Date('2026-03-08T18:00:00Z');
const PASS = 'register test passphrase';
let base: string;
let dir: string;

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'wk-register-'));
  dir = join(base, 'pki');
  await initPki({
    dir,
    election: smallElection,
    caPassphrase: PASS,
    serverUrl: 'https://wahl.example:8443',
    now,
    kdfCost: TEST_SCRYPT_COST,
  });
});

const options = (out: string) => ({
  outDir: join(base, out),
  lettersDir: join(base, `${out}-letters`),
  now,
  concurrency: 1,
});

describe('an issuing run that is interrupted', () => {
  it('keeps the stations it finished, so the next run issues only the rest', async () => {
    const ca = await openCa(dir, PASS);
    const ids = smallElection.precincts.map((p) => p.id);
    let done = 0;
    await expect(
      issueStations(ca, ids, {
        ...options('first'),
        onProgress: () => {
          if (++done === 2) throw new Error('power cut');
        },
      }),
    ).rejects.toThrow('power cut');
    // stations.json is untouched; the journal holds the two finished stations
    expect(readFileSync(join(dir, 'stations.json'), 'utf8')).toContain('"certificates": []');
    const resumed = await openCa(dir, PASS);
    const held = alreadyIssued(resumed, ids, now).map((r) => r.precinctId);
    expect(held).toEqual(ids.slice(0, 2));
    const rest = ids.filter((id) => !held.includes(id));
    const { issued, superseded } = await issueStations(resumed, rest, options('second'));
    expect(issued.map((s) => s.precinctId)).toEqual(rest);
    expect(superseded).toEqual([]);
    const server = await loadServerMaterial(dir, now);
    expect([...server.stations.keys()].sort()).toEqual([...ids].sort());
    expect(server.crl.lists.every((l) => l.revoked.size === 0)).toBe(true);
  });

  it('ignores a journal line torn by a crash in the middle of writing it', async () => {
    appendFileSync(join(dir, 'stations.journal'), '{"precinctId":"p-1","ser');
    const ca = await openCa(dir, PASS);
    expect(ca.register.certificates).toHaveLength(smallElection.precincts.length);
  });
});
