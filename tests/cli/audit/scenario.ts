import { join } from 'node:path';
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
 * is refused, and P3's kit is revoked after it reported (its report stays valid: it was signed and
 * accepted before). The server has published the final snapshot before it stops.
 */
export type Night = {
  readonly office: Office;
  readonly db: string;
  readonly publishDir: string;
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
    const t3 = await token('P3');
    await send(t3, await kit('P3').seal(urneReport('P3', [250, 260, 90])));
    await waitForPublished(server.resultsUrl, 4);
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
