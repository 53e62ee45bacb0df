import { join } from 'node:path';
import type { OfficeEntryEvent } from '../../../central-server/office/actions/index.ts';
import {
  createOffice,
  openSession,
  startTestServer,
  submit,
  urneReport,
  type Office,
} from '../../central-server/fixture.ts';

/**
 * One small election night on a real server (SQLite file, HTTP on port 0), as the audit tests
 * need it: P1 reports and corrects (revisions 1 and 2), P2 and P3 report once, a garbled envelope
 * is refused, a report with a forged session token is refused from its headers, the postal board B1's kit fails and two office operators take its result by phone
 * (four eyes: Anna enters, Bernd enters blind, Bernd signs), and P3's kit is revoked after it
 * reported (its report stays valid: it was signed and accepted before). The server has
 * published the final snapshot before it stops.
 */
export type Night = {
  readonly office: Office;
  readonly db: string;
  readonly publishDir: string;
};

/** Accepted reports of the night: four signed by kits, one phoned in. */
export const NIGHT = {
  kitReports: 4,
  phoneReports: 1,
  refused: 1,
  /** a report sent with a forged session token: refused from its headers, body never read */
  refusedWithoutSession: 1,
} as const;

/** The forged token of that report (its SHA-256 is what the server keeps of it). */
export const FORGED_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJQMiJ9.Zm9yZ2Vk';

export const OPERATORS = {
  anna: { id: 'anna', name: 'Anna Amsel' },
  bernd: { id: 'bernd', name: 'Bernd Brandt' },
} as const;

/** The figures of B1 as the Briefwahlvorsteher reads them out (no A values, B1 = B). */
const B1_PHONED: Readonly<Record<string, number>> = {
  B: 603,
  B1: 603,
  C: 3,
  D: 600,
  D1: 250,
  D2: 200,
  D3: 150,
};

export async function electionNight(): Promise<Night> {
  const office = await createOffice();
  const db = join(office.dir, 'server.db');
  const server = await startTestServer(office, db);
  try {
    const kit = (id: string) => office.kits.get(id)!;
    const token = async (id: string) => (await openSession(server, kit(id))).body.token as string;
    const t1 = await token('P1');
    const send = async (t: string, envelope: Uint8Array | string) => {
      const answer = await submit(server, t, envelope);
      if (answer.status >= 500) throw new Error(`server answered ${answer.status}`);
      return answer;
    };
    await send(t1, await kit('P1').seal(urneReport('P1', [300, 200, 100])));
    await send(
      t1,
      await kit('P1').seal(
        urneReport('P1', [301, 200, 99], { revision: 2, correctionReason: 'Zählfehler bei D1' }),
      ),
    );
    const t2 = await token('P2');
    await send(t2, await kit('P2').seal(urneReport('P2', [400, 350, 120])));
    await send(t2, '{"format":"wahlkoffer.meldung/1","jwe":"kaputt"}');
    const forged = await submit(
      server,
      FORGED_TOKEN,
      await kit('P2').seal(urneReport('P2', [1, 1, 1])),
    );
    if (forged.status !== 401) throw new Error(`a forged token got ${forged.status}`);
    const t3 = await token('P3');
    await send(t3, await kit('P3').seal(urneReport('P3', [250, 260, 90])));
    // B1's kit fails: two operators of the office take its result by phone
    const typed: OfficeEntryEvent[] = Object.entries(B1_PHONED).map(([key, value]) => ({
      type: 'SET_VALUE',
      key,
      value,
    }));
    const { phoned } = server.officeActions;
    const target = { precinctId: 'B1', contestId: 'OB' };
    await phoned.apply(target, OPERATORS.anna, [
      { type: 'START_FIRST_ENTRY' },
      ...typed,
      { type: 'FINISH_ENTRY' },
    ]);
    await phoned.apply(target, OPERATORS.bernd, [
      { type: 'START_SECOND_ENTRY' },
      ...typed,
      { type: 'FINISH_ENTRY' },
    ]);
    const signed = await phoned.apply(target, OPERATORS.bernd, [{ type: 'SIGN' }]);
    if (signed.counted === undefined) throw new Error(`B1 not counted: ${signed.view.status}`);
    await waitForPublished(server.resultsUrl, 5);
    // the kit of P3 is stolen later that night
    await new Promise((r) => setTimeout(r, 1100));
    await office.revoke('P3');
  } finally {
    await server.close();
  }
  return { office, db, publishDir: join(office.dir, 'publication') };
}

async function waitForPublished(resultsUrl: string, lastSequence: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${resultsUrl}results.json`);
    if (res.ok) {
      const body = (await res.json()) as { lastSequence?: number };
      if (body.lastSequence === lastSequence) return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the snapshot did not reach report ${lastSequence}`);
}
