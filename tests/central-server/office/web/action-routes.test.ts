import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../../central-server/index.ts';
import type { Enrolment } from '../../../../central-server/office/index.ts';
import {
  createOffice,
  openSession,
  startTestServer,
  submit,
  totpAt,
  urneReport,
  type Office,
} from '../../fixture.ts';
import { OfficeClient, totpCode } from '../office-client.ts';
import { kitFromReplacement } from '../office-kits.ts';

/*
 * The Telefon and Stationen pages over real HTTP against a real server on SQLite: who may do
 * what, every refusal with its code and a German message that says what to do, nothing stored
 * of a refused action, and the happy paths the night browser test shows in Chromium.
 */
const PASSWORD = 'korrekt pferd batterie';
const CA_PASSPHRASE = 'test ca passphrase';
const cli = { name: 'setup', via: 'cli' } as const;

let office: Office;
let server: RunningServer;
const users = new Map<string, Enrolment>();
const clients: OfficeClient[] = [];
let nextAddress = 40;

async function loggedIn(name: string): Promise<OfficeClient & { csrf: string }> {
  const client = new OfficeClient(server, `127.0.0.${nextAddress++}`);
  clients.push(client);
  const answer = await client.login(name, PASSWORD, totpCode(users.get(name)!.totpSecret));
  expect(answer.status, answer.text).toBe(303);
  return Object.assign(client, { csrf: await client.csrfToken() });
}

function auditKinds(): string[] {
  const sqlite = new Database(join(office.dir, 'server.db'), { readonly: true });
  try {
    return (
      sqlite.prepare('SELECT "kind" FROM "AuditEvent" ORDER BY "id"').all() as { kind: string }[]
    ).map((r) => r.kind);
  } finally {
    sqlite.close();
  }
}

/** A kit's report, accepted; its receipt code. */
async function report(precinctId: string, d: [number, number, number]): Promise<string> {
  const kit = office.kits.get(precinctId)!;
  const token = (await openSession(server, kit)).body.token as string;
  const answer = await submit(server, token, await kit.seal(urneReport(precinctId, d)));
  expect(answer.status).toBe(201);
  return answer.body.receiptCode as string;
}

const errorCode = (page: string) => /<code>([A-Z_]+)<\/code>/.exec(page)?.[1];

let admin: OfficeClient & { csrf: string };
let anna: OfficeClient & { csrf: string };
let bernd: OfficeClient & { csrf: string };
let otto: OfficeClient & { csrf: string };

beforeAll(async () => {
  office = await createOffice();
  server = await startTestServer(office);
  for (const [name, role] of [
    ['ada', 'admin'],
    ['anna', 'operator'],
    ['bernd', 'operator'],
    ['otto', 'auditor'],
  ] as const) {
    users.set(name, await server.officeUsers.add({ name, role, password: PASSWORD, actor: cli }));
  }
  admin = await loggedIn('ada');
  anna = await loggedIn('anna');
  bernd = await loggedIn('bernd');
  otto = await loggedIn('otto');
}, 120_000);

afterAll(async () => {
  for (const client of clients) await client.close();
  await server.close();
  office.cleanup();
});

describe('who may do what', () => {
  it('lets operators and admins on the Telefon page, not auditors', async () => {
    expect((await anna.get('/office/phone')).status).toBe(200);
    expect((await admin.get('/office/phone')).status).toBe(200);
    expect((await otto.get('/office/phone')).status).toBe(403);
    const post = await otto.post('/office/phone/confirm', {
      _csrf: otto.csrf,
      precinct: 'P1',
      code: 'AAAA-AAAA',
    });
    expect(post.status).toBe(403);
  });

  it('shows every role the stations, but only an admin the revoke and replace actions', async () => {
    for (const client of [anna, otto]) {
      const page = await client.get('/office/stations');
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('/revoke');
      expect(page.text).toContain('nur lesend');
      expect((await client.get('/office/stations/P3/revoke')).status).toBe(403);
      const post = await client.post('/office/stations/P3/revoke', {
        _csrf: client.csrf,
        reason: 'keyCompromise',
        caPassphrase: CA_PASSPHRASE,
        confirmNumber: '0202',
      });
      expect(post.status).toBe(403);
    }
    expect((await admin.get('/office/stations')).text).toContain('/office/stations/P3/revoke');
    expect(
      (await server.officeActions.stations.overview()).find((s) => s.precinctId === 'P3')?.status,
    ).toBe('ISSUED');
  });

  it('refuses a form without the session’s CSRF token and stores nothing', async () => {
    const before = (await server.officeActions.store.phoneConfirmations()).length;
    const answer = await anna.post('/office/phone/confirm', { precinct: 'P1', code: 'AAAA-AAAA' });
    expect(answer.status).toBe(403);
    expect((await server.officeActions.store.phoneConfirmations()).length).toBe(before);
  });
});

describe('confirming a report by the receipt code read out on the phone', () => {
  let code: string;
  beforeAll(async () => {
    code = await report('P1', [300, 250, 140]);
  });

  it('refuses a district that does not exist, saying what to check', async () => {
    const answer = await anna.post('/office/phone/confirm', {
      _csrf: anna.csrf,
      precinct: '0999',
      code,
    });
    expect(answer.status).toBe(404);
    expect(answer.text).toContain('Den Stimmbezirk „0999“ gibt es nicht');
  });

  it('refuses a wrong code with its code and what to do, and keeps what was typed', async () => {
    const wrong = code.startsWith('0') ? `1${code.slice(1)}` : `0${code.slice(1)}`;
    const answer = await anna.post('/office/phone/confirm', {
      _csrf: anna.csrf,
      precinct: '0101',
      code: wrong,
    });
    expect(answer.status).toBe(409);
    expect(errorCode(answer.text)).toBe('RECEIPT_CODE_MISMATCH');
    expect(answer.text).toContain('Code noch einmal vorlesen lassen');
    expect(answer.text).toContain(`value="${wrong}"`);
    expect(auditKinds().at(-1)).toBe('PHONE_CONFIRMATION_REFUSED');
  });

  it('confirms with the code as spoken, then shows by whom and when', async () => {
    const spoken = code.toLowerCase().replace('-', ' ');
    const answer = await anna.post('/office/phone/confirm', {
      _csrf: anna.csrf,
      precinct: '0101',
      code: spoken,
    });
    expect(answer.status).toBe(303);
    expect(answer.location).toBe('/office/phone?bestaetigt=P1&meldung=1');
    const page = await anna.get(answer.location!);
    expect(page.text).toContain('ist telefonisch bestätigt – von anna');
    expect(auditKinds()).toContain('PHONE_CONFIRMED');
  });
});

describe('a result taken by phone by two operators', () => {
  const path = '/office/phone/entry/P2/OB';
  const figures = (d: [number, number, number]) =>
    Object.fromEntries(
      Object.entries(urneReport('P2', d).counts)
        .filter(([key]) => !['A1', 'A2', 'A3'].includes(key))
        .map(([key, value]) => [`v_${key}`, String(value)]),
    );

  it('opens the entry by the district’s number', async () => {
    const answer = await anna.get('/office/phone/entry?precinct=0201&contest=OB');
    expect(answer.status).toBe(303);
    expect(answer.location).toBe(path);
  });

  it('refuses to finish an incomplete first entry, keeping the figures typed', async () => {
    await anna.post(path, { _csrf: anna.csrf, step: 'start-first' });
    const { v_D3: _, ...partial } = figures([400, 300, 200]);
    const answer = await anna.post(path, { _csrf: anna.csrf, step: 'finish', ...partial });
    expect(answer.status).toBe(409);
    expect(errorCode(answer.text)).toBe('ENTRY_INCOMPLETE');
    expect(answer.text).toMatch(/name="v_D1"[^>]*value="400"/);
  });

  it('refuses a figure that is not a count, naming it, before anything is stored', async () => {
    const answer = await anna.post(path, {
      _csrf: anna.csrf,
      step: 'save',
      ...figures([400, 300, 200]),
      v_D3: '2OO',
    });
    expect(answer.status).toBe(400);
    expect(errorCode(answer.text)).toBe('NOT_A_COUNT');
    expect(answer.text).toMatch(/name="v_D3"[^>]*value="2OO"[^>]*aria-invalid="true"/);
  });

  it('takes the first entry; the second operator sees none of its figures', async () => {
    const done = await anna.post(path, {
      _csrf: anna.csrf,
      step: 'finish',
      ...figures([400, 300, 200]),
    });
    expect(done.status).toBe(303);
    const blind = await bernd.get(path);
    expect(blind.text).toContain('value="start-second"');
    expect(blind.text).not.toContain('value="400"');
    expect((await anna.post(path, { _csrf: anna.csrf, step: 'start-second' })).status).toBe(409);
  });

  it('compares the blind second entry field by field and counts the settled result as telefonisch', async () => {
    await bernd.post(path, { _csrf: bernd.csrf, step: 'start-second' });
    const second = await bernd.post(path, {
      _csrf: bernd.csrf,
      step: 'finish',
      ...figures([410, 300, 200]),
    });
    expect(second.status).toBe(303);
    const differ = await anna.get(path);
    expect(differ.text).toContain('Die beiden Eingaben weichen ab');
    const settle = await anna.post(path, {
      _csrf: anna.csrf,
      step: 'resolve',
      r_D1: 'first',
      r_D: 'first',
      r_B: 'again',
      a_B: '905',
    });
    expect(settle.status).toBe(303);
    const signed = await bernd.post(path, { _csrf: bernd.csrf, step: 'sign' });
    expect(signed.status).toBe(200);
    expect(signed.text).toContain('als Meldung Nr. 2 gezählt');
    expect(signed.text).toMatch(/class="wk-receipt-code">[0-9A-Z]{4}-[0-9A-Z]{4}</);
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
    expect(city.ballots[0]!.districts).toMatchObject({ byPhone: 1 });
    expect(city.ballots[0]!.sections[0]!.votes).toEqual({ c1: 700, c2: 550, c3: 340 });
  });
});

describe('the Stationen list', () => {
  it('finds a station by its name without accents or case, or by its number', async () => {
    const byName = await otto.get('/office/stations?q=sud');
    expect(byName.text).toContain('0201 Schule Süd');
    expect(byName.text).not.toContain('0101 Schule Nord');
    expect(byName.text).toContain('1 von 4 Stationen');
    const byNumber = await otto.get('/office/stations?q=9001');
    expect(byNumber.text).toContain('9001 Briefwahl 1');
    expect(byNumber.text).toContain('1 von 4 Stationen');
  });
});

describe('revoking and replacing a kit from the Stationen page', () => {
  const revoke = (form: Record<string, string>) =>
    admin.post('/office/stations/P3/revoke', {
      _csrf: admin.csrf,
      reason: 'keyCompromise',
      ...form,
    });
  let token: string;

  beforeAll(async () => {
    token = (await openSession(server, office.kits.get('P3')!)).body.token as string;
  });

  it('refuses when the typed number is not the district’s, and changes nothing', async () => {
    const answer = await revoke({ caPassphrase: CA_PASSPHRASE, confirmNumber: '0201' });
    expect(answer.status).toBe(400);
    expect(errorCode(answer.text)).toBe('CONFIRMATION_MISMATCH');
    expect(answer.text).toContain('Nichts wurde geändert');
  });

  it('refuses a wrong CA passphrase, logs the attempt without it, and never shows it again', async () => {
    const answer = await revoke({ caPassphrase: 'falsche passphrase', confirmNumber: '0202' });
    expect(answer.status).toBe(403);
    expect(errorCode(answer.text)).toBe('CA_PASSPHRASE_WRONG');
    expect(answer.text).not.toContain('falsche passphrase');
    expect(auditKinds().at(-1)).toBe('STATION_ACTION_REFUSED');
    const sqlite = new Database(join(office.dir, 'server.db'), { readonly: true });
    try {
      const hits = sqlite
        .prepare(`SELECT count(*) AS n FROM "AuditEvent" WHERE "event" LIKE '%falsche%'`)
        .get();
      expect(hits).toEqual({ n: 0 });
    } finally {
      sqlite.close();
    }
    expect(
      (await server.officeActions.stations.overview()).find((s) => s.precinctId === 'P3')?.status,
    ).toBe('ISSUED');
  });

  it('revokes: the kit’s open session is refused at its next report', async () => {
    const answer = await revoke({ caPassphrase: CA_PASSPHRASE, confirmNumber: '202' });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('ist gesperrt');
    const kit = office.kits.get('P3')!;
    const refused = await submit(server, token, await kit.seal(urneReport('P3', [100, 100, 100])));
    expect(refused.status).toBe(403);
  });

  it('replaces: the page names the bundle and the letter, and the new kit is accepted at once', async () => {
    const answer = await admin.post('/office/stations/P3/replace', {
      _csrf: admin.csrf,
      caPassphrase: CA_PASSPHRASE,
      confirmNumber: '0202',
    });
    // the result is a page of its own: reloading it never issues a second replacement
    expect(answer.status).toBe(303);
    expect(answer.location).toBe('/office/stations/P3/replaced');
    const result = await admin.get(answer.location!);
    expect(result.status).toBe(200);
    const bundle = /<code class="wk-path">([^<]+bundle\.json)<\/code>/.exec(result.text)?.[1];
    const letter = /<code class="wk-path">([^<]+\.html)<\/code>/.exec(result.text)?.[1];
    expect(bundle).toBeDefined();
    expect(letter).toBeDefined();
    const overview = (await server.officeActions.stations.overview()).find(
      (s) => s.precinctId === 'P3',
    )!;
    const kit = await kitFromReplacement(office.pkiDir, {
      precinctId: 'P3',
      serial: overview.serial!,
      superseded: [],
      bundle: bundle!,
      letter: letter!,
    });
    const session = await openSession(server, kit, totpAt(kit, new Date(Date.now() + 30_000)));
    expect(session.status).toBe(201);
    const accepted = await submit(
      server,
      session.body.token as string,
      await kit.seal(urneReport('P3', [100, 100, 100])),
    );
    expect(accepted.status).toBe(201);
    expect(auditKinds()).toEqual(expect.arrayContaining(['KIT_REVOKED', 'KIT_REPLACED']));
  });
});
