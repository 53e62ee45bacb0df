import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StationRegister } from '../../../central-server/pki-material/station-register.ts';
import type { StationRecord } from '../../../pki/index.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'station-register-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const hex = (n: number) => n.toString(16).padStart(64, '0');

/** A register of stations (precinct → fingerprint) and a follower over it. */
async function follower(initial: Record<string, string>) {
  let records = initial;
  const registerFile = path.join(dir, 'stations.json');
  let touched = 0;
  const write = async (next: Record<string, string>) => {
    records = next;
    await writeFile(registerFile, JSON.stringify(next));
    touched += 1;
    await utimes(registerFile, touched, touched); // a new mtime each time
    for (const precinctId of Object.keys(next)) {
      await writeFile(path.join(dir, `${precinctId}.totp`), `secret-${next[precinctId]}\n`);
    }
  };
  await write(initial);
  const register = new StationRegister(
    { register: registerFile, stationSecret: (p) => path.join(dir, `${p}.totp`) },
    'e1',
    async () =>
      new Map(
        Object.entries(records).map(([precinctId, fingerprint]) => [
          precinctId,
          { precinctId, fingerprint, serial: `s-${fingerprint.slice(-4)}` } as StationRecord,
        ]),
      ),
  );
  return { register, write };
}

describe('the station register the server follows', () => {
  it('imports every station first, then only a station whose certificate changed', async () => {
    const { register, write } = await follower({ P1: hex(1), P2: hex(2), P3: 'not-hex' });
    expect((await register.reload()).map((s) => [s.precinctId, s.certFingerprint])).toEqual([
      ['P1', hex(1)],
      ['P2', hex(2)],
      ['P3', 'not-hex'],
    ]);
    expect(await register.reload()).toEqual([]); // the file did not change
    await write({ P1: hex(1), P2: hex(22), P3: 'not-hex', P4: hex(4) });
    const changed = await register.reload();
    expect(changed.map((s) => [s.precinctId, s.certFingerprint, s.totpSecretEnc])).toEqual([
      ['P2', hex(22), `secret-${hex(22)}`],
      ['P4', hex(4), `secret-${hex(4)}`],
    ]);
    await write({ P1: hex(1), P2: hex(22), P3: 'not-hex', P4: hex(4) });
    expect(await register.reload()).toEqual([]); // a new mtime, the same certificates
  });
});
