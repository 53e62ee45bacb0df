import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../central-server/index.ts';
import {
  OfficeActionError,
  type OfficeActionCode,
  type OfficeEntryEvent,
} from '../../../central-server/office/actions/index.ts';
import { verifyAuditChain } from '../../../central-server/storage/audit-chain.ts';
import type { AuditRow } from '../../../central-server/storage/repository.ts';
import {
  createOffice,
  openSession,
  startTestServer,
  submit,
  totpAt,
  urneReport,
  type Office,
} from '../fixture.ts';
import { kitFromReplacement } from './office-kits.ts';
import { reportLeaf } from '../../../transparency/index.ts';

const CA_PASSPHRASE = 'test ca passphrase';
const anna = { id: 'anna', name: 'Anna Amsel' };
const bernd = { id: 'bernd', name: 'Bernd Brandt' };

let office: Office;
let server: RunningServer;
const db = () => join(office.dir, 'server.db');

beforeAll(async () => {
  office = await createOffice();
  server = await startTestServer(office);
});
afterAll(async () => {
  await server.close();
  office.cleanup();
});

async function refusal(promise: Promise<unknown>): Promise<OfficeActionCode> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OfficeActionError);
  return (error as OfficeActionError).code;
}

const tokens = new Map<string, string>();

/** A kit's evening: a session (one per kit: a TOTP code is taken once), the report sent. */
async function report(precinctId: string, d: [number, number, number], revision = 1) {
  const kit = office.kits.get(precinctId)!;
  let token = tokens.get(precinctId);
  if (token === undefined) {
    token = (await openSession(server, kit)).body.token as string;
    tokens.set(precinctId, token);
  }
  const extra =
    revision === 1 ? {} : { revision, correctionReason: 'Stimmen für c1 falsch gezählt' };
  return submit(server, token, await kit.seal(urneReport(precinctId, d, extra)));
}

/** The figures of urneReport without the register's A1–A3, as an operator types them. */
function typed(precinctId: string, d: [number, number, number]): OfficeEntryEvent[] {
  const { counts } = urneReport(precinctId, d);
  return Object.entries(counts)
    .filter(([key]) => !['A1', 'A2', 'A3'].includes(key))
    .map(([key, value]) => ({ type: 'SET_VALUE', key, value }));
}

function auditRows(): AuditRow[] {
  const sqlite = new Database(db(), { readonly: true });
  try {
    return (sqlite.prepare('SELECT * FROM "AuditEvent" ORDER BY "id"').all() as AuditRow[]).map(
      (r) => ({ ...r, at: new Date(r.at) }),
    );
  } finally {
    sqlite.close();
  }
}

describe('phone confirmation', () => {
  let code: string;
  beforeAll(async () => {
    const answer = await report('P1', [300, 250, 140]);
    expect(answer.status).toBe(201);
    code = answer.body.receiptCode as string;
  });

  it('refuses a code that matches no receipt of the district, and logs the attempt', async () => {
    const { phone } = server.officeActions;
    const wrong = code.startsWith('0') ? `1${code.slice(1)}` : `0${code.slice(1)}`;
    expect(
      await refusal(
        phone.confirm({ precinctId: 'P1', code: wrong, user: 'anna', requestId: 'r1' }),
      ),
    ).toBe('RECEIPT_CODE_MISMATCH');
    const last = auditRows().at(-1)!;
    expect(last.kind).toBe('PHONE_CONFIRMATION_REFUSED');
    expect(JSON.parse(last.event).data).toMatchObject({
      code: 'RECEIPT_CODE_MISMATCH',
      by: 'anna',
    });
    expect(await server.officeActions.store.phoneConfirmations()).toEqual([]);
  });

  it('refuses a code of the wrong shape and a district without a report', async () => {
    const { phone } = server.officeActions;
    expect(
      await refusal(phone.confirm({ precinctId: 'P1', code: '12', user: 'anna', requestId: 'r' })),
    ).toBe('RECEIPT_CODE_MALFORMED');
    expect(
      await refusal(phone.confirm({ precinctId: 'P3', code, user: 'anna', requestId: 'r' })),
    ).toBe('NOTHING_TO_CONFIRM');
    expect(
      await refusal(phone.confirm({ precinctId: 'X9', code, user: 'anna', requestId: 'r' })),
    ).toBe('PRECINCT_UNKNOWN');
  });

  it('confirms the district when the code read out matches, as typed on the phone', async () => {
    const spoken = code.toLowerCase().replace('-', ' ').replace(/0/g, 'o');
    const row = await server.officeActions.phone.confirm({
      precinctId: 'P1',
      code: spoken,
      user: 'anna',
      requestId: 'r2',
    });
    expect(row).toMatchObject({ precinctId: 'P1', contestId: 'OB', confirmedBy: 'anna' });
    expect(await server.officeActions.store.phoneConfirmations()).toHaveLength(1);
    expect(auditRows().at(-1)!.kind).toBe('PHONE_CONFIRMED');
  });
});

describe('a result phoned in when a kit fails', () => {
  const target = { precinctId: 'P2', contestId: 'OB' };
  let receiptCode: string | null | undefined;

  it('takes a first entry and keeps it from everyone else (blind)', async () => {
    const { phoned } = server.officeActions;
    await phoned.apply(target, anna, [
      { type: 'START_FIRST_ENTRY' },
      ...typed('P2', [400, 300, 200]),
    ]);
    const done = await phoned.apply(target, anna, [{ type: 'FINISH_ENTRY' }]);
    expect(done.view.status).toBe('FIRST_ENTRY_DONE');
    const seenByBernd = await phoned.view('P2', 'OB', 'bernd');
    expect(seenByBernd.values).toEqual({ A1: 1200, A2: 150, A3: 2 });
    expect(seenByBernd.findings).toEqual([]);
    expect(seenByBernd.allowed).toEqual(['START_SECOND_ENTRY']);
  });

  it('refuses the same operator as second person, and anyone typing into another’s entry', async () => {
    const { phoned } = server.officeActions;
    expect(await refusal(phoned.apply(target, anna, [{ type: 'START_SECOND_ENTRY' }]))).toBe(
      'PHONE_ENTRY_REFUSED',
    );
    await phoned.apply(target, bernd, [{ type: 'START_SECOND_ENTRY' }]);
    expect(
      await refusal(phoned.apply(target, anna, [{ type: 'SET_VALUE', key: 'D1', value: 1 }])),
    ).toBe('PHONE_ENTRY_REFUSED');
    const carla = { id: 'carla', name: 'Carla Conrad' };
    expect(await refusal(phoned.apply(target, carla, [{ type: 'FINISH_ENTRY' }]))).toBe(
      'PHONE_ENTRY_NOT_YOURS',
    );
  });

  it('compares field by field; a difference is settled, then the result is counted once', async () => {
    const { phoned } = server.officeActions;
    // Bernd misheard D1 (410 instead of 400) — and so D and B differ too
    const differ = await phoned.apply(target, bernd, [
      ...typed('P2', [410, 300, 200]),
      { type: 'FINISH_ENTRY' },
    ]);
    expect(differ.view.status).toBe('ENTRIES_DIFFER');
    expect(differ.view.differences.map((d) => d.key).sort()).toEqual(['B', 'D', 'D1']);
    const settle: OfficeEntryEvent[] = differ.view.differences.map((d) => ({
      type: 'RESOLVE_DIFFERENCE',
      key: d.key,
      choice: 'KEEP_FIRST',
    }));
    const ready = await phoned.apply(target, anna, [...settle, { type: 'FINISH_RESOLUTION' }]);
    expect(ready.view.status).toBe('READY_TO_SIGN');
    const signed = await phoned.apply(target, bernd, [{ type: 'SIGN' }]);
    expect(signed.counted?.receiptCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    receiptCode = signed.counted?.receiptCode;
    expect(await server.officeActions.store.findPhoneEntry('P2', 'OB')).toBeNull();
    const kinds = auditRows().map((r) => r.kind);
    expect(kinds).toContain('REPORT_PHONED_IN');
    const phonedIn = auditRows().find((r) => r.kind === 'REPORT_PHONED_IN')!;
    expect(JSON.parse(phonedIn.event).data).toMatchObject({
      source: 'telefonisch',
      operators: [anna, bernd],
    });
  });

  it('is stored with source telefonisch, without a signature, under the next sequence number', () => {
    const sqlite = new Database(db(), { readonly: true });
    try {
      const rows = sqlite
        .prepare(
          'SELECT "sequence", "precinctId", "source", length("signedData") AS sig, "certSerial" FROM "Report" ORDER BY "sequence"',
        )
        .all();
      expect(rows).toEqual([
        {
          sequence: 1,
          precinctId: 'P1',
          source: 'kit',
          sig: expect.any(Number),
          certSerial: expect.any(String),
        },
        { sequence: 2, precinctId: 'P2', source: 'telefonisch', sig: 0, certSerial: '' },
      ]);
      const receipt = sqlite
        .prepare('SELECT "receiptCode" FROM "Receipt" WHERE "sequence" = 2')
        .get();
      expect(receipt).toEqual({ receiptCode });
    } finally {
      sqlite.close();
    }
  });

  it('enters the transparency log as a telefonisch leaf without a SignedData hash', () => {
    const sqlite = new Database(db(), { readonly: true });
    try {
      const row = sqlite
        .prepare('SELECT "index", "leaf" FROM "LogLeaf" WHERE "sequence" = 2')
        .get() as { index: number; leaf: string };
      const report = sqlite
        .prepare('SELECT "contentHash", "acceptedAt" FROM "Report" WHERE "sequence" = 2')
        .get() as { contentHash: string; acceptedAt: string };
      expect(row.index).toBe(1);
      expect(row.leaf).toBe(
        reportLeaf({
          electionId: 'test-ob',
          precinctId: 'P2',
          contestId: 'OB',
          revision: 1,
          sequence: 2,
          serverTime: new Date(report.acceptedAt).toISOString(),
          tallyHash: report.contentHash,
          source: 'telefonisch',
        }),
      );
      expect(JSON.parse(row.leaf)).not.toHaveProperty('signedDataHash');
    } finally {
      sqlite.close();
    }
  });

  it('counts in the published results, marked as taken by phone', async () => {
    await server.publicationFlush();
    const results = (await (await fetch(`${server.resultsUrl}results.json`)).json()) as {
      areas: {
        id: string;
        ballots: {
          districts: Record<string, number>;
          sections: { votes: Record<string, number> }[];
        }[];
      }[];
    };
    const city = results.areas.find((a) => a.id === 'M')!;
    expect(city.ballots[0]!.sections[0]!.votes).toEqual({ c1: 700, c2: 550, c3: 340 });
    expect(city.ballots[0]!.districts).toMatchObject({ byPhone: 1 });
    const page = await (await fetch(`${server.resultsUrl}gebiet-SB2.html`)).text();
    expect(page).toContain('telefonisch');
  });

  it('refuses a phoned-in result for a district whose figures are counted already', async () => {
    const { phoned } = server.officeActions;
    expect(
      await refusal(
        phoned.apply({ precinctId: 'P1', contestId: 'OB' }, anna, [{ type: 'START_FIRST_ENTRY' }]),
      ),
    ).toBe('PHONED_RESULT_REFUSED');
  });

  it('a late kit report of the same revision is a conflict; a kit correction supersedes it', async () => {
    const late = await report('P2', [400, 300, 200]);
    expect(late.status).toBe(409);
    expect(late.body.error?.code).toBe('REVISION_CONFLICT');
    const correction = await report('P2', [401, 300, 200], 2);
    expect(correction.status).toBe(201);
    await server.publicationFlush();
    const results = (await (await fetch(`${server.resultsUrl}results.json`)).json()) as {
      areas: {
        id: string;
        ballots: {
          districts: Record<string, number>;
          sections: { votes: Record<string, number> }[];
        }[];
      }[];
    };
    const city = results.areas.find((a) => a.id === 'M')!;
    expect(city.ballots[0]!.sections[0]!.votes['c1']).toBe(701);
    expect(city.ballots[0]!.districts).toMatchObject({ byPhone: 0 });
  });
});

describe('stations: revoke and replace a kit during the night', () => {
  let token: string;

  it('shows each station’s last contact', async () => {
    const kit = office.kits.get('P3')!;
    token = (await openSession(server, kit)).body.token as string;
    const overview = await server.officeActions.stations.overview();
    const p3 = overview.find((s) => s.precinctId === 'P3')!;
    expect(p3.status).toBe('ISSUED');
    expect(p3.lastContact).toBeInstanceOf(Date);
    expect(overview.find((s) => s.precinctId === 'P1')!.lastReportAt).toBeInstanceOf(Date);
    expect(overview.find((s) => s.precinctId === 'B1')!.lastContact).toBeNull();
  });

  it('refuses a wrong CA passphrase and changes nothing', async () => {
    const { stations } = server.officeActions;
    const code = await refusal(
      stations.revoke({
        precinctId: 'P3',
        reason: 'keyCompromise',
        caPassphrase: 'falsch',
        user: 'admin',
        requestId: 'r',
      }),
    );
    expect(code).toBe('CA_PASSPHRASE_WRONG');
    expect((await stations.overview()).find((s) => s.precinctId === 'P3')!.status).toBe('ISSUED');
  });

  it('revokes: the open session’s next report is refused at once', async () => {
    const { stations } = server.officeActions;
    await stations.revoke({
      precinctId: 'P3',
      reason: 'keyCompromise',
      caPassphrase: CA_PASSPHRASE,
      user: 'admin',
      requestId: 'r',
    });
    expect((await stations.overview()).find((s) => s.precinctId === 'P3')!.status).toBe('REVOKED');
    const kit = office.kits.get('P3')!;
    const answer = await submit(server, token, await kit.seal(urneReport('P3', [100, 100, 100])));
    expect(answer.status).toBe(403);
    expect(answer.body.error?.code).toMatch(/REVOKED/);
    expect(auditRows().some((r) => r.kind === 'KIT_REVOKED')).toBe(true);
  });

  it('replaces: the new kit opens its session at once, without a restart, and is counted', async () => {
    const { stations } = server.officeActions;
    const replacement = await stations.replace({
      precinctId: 'P3',
      caPassphrase: CA_PASSPHRASE,
      user: 'admin',
      requestId: 'r',
    });
    const kit = await kitFromReplacement(office.pkiDir, replacement);
    // the precinct's TOTP replay floor stays (decisions/0061): the new token's next code
    const session = await openSession(server, kit, totpAt(kit, new Date(Date.now() + 30_000)));
    expect(session.status).toBe(201);
    const answer = await submit(
      server,
      session.body.token as string,
      await kit.seal(urneReport('P3', [100, 100, 100])),
    );
    expect(answer.status).toBe(201);
    const p3 = (await stations.overview()).find((s) => s.precinctId === 'P3')!;
    expect(p3).toMatchObject({ status: 'ISSUED', serial: replacement.serial });
  });

  it('leaves an intact audit chain behind', () => {
    expect(verifyAuditChain(auditRows())).toBeNull();
  });
});

describe('after a restart', () => {
  it('keeps a phoned-in entry in progress, with its first operator', async () => {
    const { phoned } = server.officeActions;
    const target = { precinctId: 'B1', contestId: 'OB' };
    await phoned.apply(target, anna, [{ type: 'START_FIRST_ENTRY' }]);
    await server.close();
    server = await startTestServer(office);
    const view = await server.officeActions.phoned.view('B1', 'OB', 'anna');
    expect(view.status).toBe('FIRST_ENTRY_IN_PROGRESS');
    expect(view.role).toBe('first');
  });
});
