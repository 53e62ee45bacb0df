import { describe, expect, it } from 'vitest';
import {
  indexElection,
  registerPrefill,
  startFourEyes,
  transition,
  type FourEyesEnv,
  type FourEyesEvent,
  type FourEyesState,
} from '../../../../election/index.ts';
import { phoneEntryView } from '../../../../central-server/office/actions/phone-entry-view.ts';
import type { StationOverview } from '../../../../central-server/office/actions/index.ts';
import { entryPage } from '../../../../central-server/office/web/actions/entry-view.ts';
import {
  phonePage,
  type PhonePageModel,
} from '../../../../central-server/office/web/actions/phone-view.ts';
import {
  replacedPage,
  revokePage,
  stationsPage,
} from '../../../../central-server/office/web/actions/stations-view.ts';
import { ELECTION, urneReport } from '../../fixture.ts';

/*
 * The action pages as pure functions from view models to HTML, built on real four-eyes states
 * of the test election: what each operator sees (blind where it must be), that every form
 * carries the CSRF token, that hostile text is escaped, German first and English on request.
 */
const index = indexElection(ELECTION);
const env: FourEyesEnv = { index };
const anna = { id: 'anna', name: 'Anna Amsel', role: 'operator' as const };
const bernd = { id: 'bernd', name: 'Bernd Brandt', role: 'operator' as const };
const CSRF = 'csrf-token-123';

function run(events: FourEyesEvent[]): FourEyesState {
  const precinct = index.precinct('P2')!;
  const started = startFourEyes(
    { electionId: ELECTION.id, precinctId: 'P2', contestId: 'OB' },
    env,
    registerPrefill(precinct),
  );
  if (!started.ok) throw new Error('no start');
  let state = started.state;
  for (const event of events) {
    const next = transition(state, event, env);
    if (!next.ok) throw new Error(next.refusal.code);
    state = next.state;
  }
  return state;
}

const typed = (d: [number, number, number]): FourEyesEvent[] =>
  Object.entries(urneReport('P2', d).counts)
    .filter(([key]) => !['A1', 'A2', 'A3'].includes(key))
    .map(([key, value]) => ({ type: 'SET_VALUE', key, value }));

const person = (p: { id: string; name: string }) => ({
  id: p.id,
  name: p.name,
  role: 'BEISITZER' as const,
});
const firstDone = (): FourEyesEvent[] => [
  { type: 'START_FIRST_ENTRY', person: person(anna) },
  ...typed([400, 300, 200]),
  { type: 'FINISH_ENTRY' },
];

function entry(state: FourEyesState, you: typeof anna, lang: 'de' | 'en' = 'de'): string {
  return entryPage({
    lang,
    csrfToken: CSRF,
    precinct: '0201 Schule Süd',
    contest: 'Oberbürgermeister',
    view: phoneEntryView(state, you.id, env),
    you,
  }).text;
}

/** every <form method="post"> holds the CSRF token */
function postFormsCarryCsrf(page: string): boolean {
  const forms = page.match(/<form\s+method="post"[\s\S]*?<\/form>/g) ?? [];
  return forms.length > 0 && forms.every((f) => f.includes(`name="_csrf" value="${CSRF}"`));
}

describe('the phoned-in entry page', () => {
  it('offers the first person the form of Anlage 28 in its order, register figures prefilled', () => {
    const page = entry(run([{ type: 'START_FIRST_ENTRY', person: person(anna) }]), anna);
    const keys = [...page.matchAll(/name="v_([A-Z0-9]+)"/g)].map((m) => m[1]);
    expect(keys).toEqual(['A1', 'A2', 'A3', 'A', 'B', 'B1', 'C', 'D', 'D1', 'D2', 'D3']);
    expect(page).toMatch(/name="v_A1"[^>]*value="1200"/);
    expect(page).toContain('Ersteingabe läuft');
    expect(page).toContain('Anna Amsel (Sie)');
    expect(postFormsCarryCsrf(page)).toBe(true);
  });

  it('keeps the first entry from the second person: blind, no figure, no finding', () => {
    const page = entry(
      run([...firstDone(), { type: 'START_SECOND_ENTRY', person: person(bernd) }]),
      bernd,
    );
    expect(page).toContain('Zweiteingabe läuft');
    expect(page).toContain('erste Eingabe bleibt verborgen');
    for (const figure of ['400', '300', '200', '905'])
      expect(page).not.toContain(`value="${figure}"`);
    expect(page).toMatch(/name="v_D1"[^>]*value=""/);
  });

  it('shows a waiting first person what happens next, and a third operator nothing of the figures', () => {
    const state = run(firstDone());
    const mine = entry(state, anna);
    expect(mine).toContain('Jetzt muss eine andere Person die Zweiteingabe machen');
    expect(mine).toContain('value="reopen"');
    const carla = { id: 'carla', name: 'Carla Conrad', role: 'operator' as const };
    const theirs = entry(state, carla);
    expect(theirs).toContain('value="start-second"');
    expect(theirs).not.toContain('value="400"');
  });

  it('lists the differences field by field with both figures and the three choices', () => {
    const state = run([
      ...firstDone(),
      { type: 'START_SECOND_ENTRY', person: person(bernd) },
      ...typed([410, 300, 200]),
      { type: 'FINISH_ENTRY' },
    ]);
    const page = entry(state, anna);
    expect(page).toContain('Die beiden Eingaben weichen ab');
    const rows = [...page.matchAll(/name="r_([A-Z0-9]+)"\s+value="first"/g)].map((m) => m[1]);
    expect(rows.sort()).toEqual(['B', 'D', 'D1']);
    expect(page).toMatch(/D1<\/span>[\s\S]*?>400<\/td>\s*<td class="wk-num">410</);
    // each choice names the figure it keeps
    expect(page).toMatch(/name="r_D1"\s+value="first"[^>]*\/>\s*Ersteingabe \(400\)/);
    expect(page).toMatch(/name="r_D1"\s+value="second"[^>]*\/>\s*Zweiteingabe \(410\)/);
  });

  it('asks for a written reason for each warning before the result is taken', () => {
    // turnout 100 % of A: the plausibility rules warn, the entry may still be finished
    const state = run([
      { type: 'START_FIRST_ENTRY', person: person(anna) },
      ...typed([1300, 40, 5]).map((e) => e),
      { type: 'FINISH_ENTRY' },
      { type: 'START_SECOND_ENTRY', person: person(bernd) },
      ...typed([1300, 40, 5]),
      { type: 'FINISH_ENTRY' },
    ]);
    expect(state.status).toBe('READY_TO_SIGN');
    const page = entry(state, bernd);
    const view = phoneEntryView(state, bernd.id, env);
    expect(view.unacknowledged.length).toBeGreaterThan(0);
    for (const code of view.unacknowledged) expect(page).toContain(`name="ack_${code}"`);
    expect(page).toContain('value="sign"');
  });

  it('speaks English on request', () => {
    const page = entry(run([]), anna, 'en');
    expect(page).toContain('Start the first entry');
    expect(page).not.toContain('Ersteingabe beginnen');
  });
});

describe('the Telefon page', () => {
  const model: PhonePageModel = {
    lang: 'de',
    csrfToken: CSRF,
    timeZone: 'Europe/Berlin',
    now: new Date('2026-09-27T19:10:00Z'),
    confirm: {
      precinct: '<script>alert(1)</script>',
      code: '"><img src=x onerror=alert(1)>',
      outcome: {
        ok: false,
        refusal: { code: 'RECEIPT_CODE_MISMATCH', message: { de: 'stimmt nicht', en: 'no match' } },
      },
    },
    confirmations: [
      {
        precinct: '0101 Schule Nord',
        contest: 'OB',
        sequence: 3,
        by: 'anna',
        at: new Date('2026-09-27T19:04:12Z'),
      },
    ],
    entry: { precinct: '', contestId: 'OB', contests: [{ id: 'OB', name: 'Oberbürgermeister' }] },
    inProgress: [],
  };

  it('escapes what was typed when it shows it again', () => {
    const page = phonePage(model).text;
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;script&gt;');
  });

  it('shows the refusal with its code, and who confirmed what and when in the office’s time', () => {
    const page = phonePage(model).text;
    expect(page).toContain('RECEIPT_CODE_MISMATCH');
    expect(page).toContain('stimmt nicht');
    expect(page).toContain('21:04:12 Uhr');
    expect(postFormsCarryCsrf(page)).toBe(true);
  });
});

describe('the Stationen pages', () => {
  const station: StationOverview = {
    precinctId: 'P3',
    name: 'Rathaus <b>',
    serial: '0A1B',
    status: 'ISSUED',
    issuedAt: null,
    revokedAt: null,
    failedAttempts: 2,
    sessionOpenedAt: null,
    lastReportAt: new Date('2026-09-27T18:55:00Z'),
    lastContact: new Date('2026-09-27T18:55:00Z'),
  };
  const list = (mayAct: boolean, canIssue = true) =>
    stationsPage({
      lang: 'de',
      timeZone: 'Europe/Berlin',
      now: new Date('2026-09-27T19:10:00Z'),
      mayAct,
      canIssue,
      query: '',
      page: 1,
      pages: 2,
      rows: [{ ...station, number: '0202' }],
      matching: 60,
      total: 60,
      counts: { ISSUED: 59, REVOKED: 1, NOT_ISSUED: 0 },
    }).text;

  it('shows an admin the revoke and replace links, with the last contact and its age', () => {
    const page = list(true);
    expect(page).toContain('/office/stations/P3/revoke');
    expect(page).toContain('/office/stations/P3/replace');
    expect(page).toContain('20:55:00 Uhr');
    expect(page).toContain('vor 15 Min.');
    expect(page).toContain('Rathaus &lt;b&gt;');
    expect(page).toContain('rel="next"');
  });

  it('shows operators and auditors the list only, and says so', () => {
    const page = list(false);
    expect(page).not.toContain('/revoke');
    expect(page).not.toContain('/replace');
    expect(page).toContain('nur lesend');
  });

  it('says where to revoke when the issuing key is not on this machine', () => {
    const page = list(true, false);
    expect(page).not.toContain('/revoke');
    expect(page).toContain('wahlkoffer pki revoke/issue');
  });

  it('asks for the CA passphrase (never shown again) and the district number as confirmation', () => {
    const page = revokePage({
      lang: 'de',
      csrfToken: CSRF,
      station: { ...station, number: '0202' },
    }).text;
    expect(page).toMatch(/name="caPassphrase"\s+type="password"/);
    expect(page).not.toMatch(/name="caPassphrase"[^>]*value=/);
    expect(page).toContain('die Nummer des Stimmbezirks eintippen: 0202');
    expect(postFormsCarryCsrf(page)).toBe(true);
  });

  it('after a replacement names the files and what to hand to the district', () => {
    const page = replacedPage({
      lang: 'de',
      csrfToken: CSRF,
      station: { ...station, number: '0202' },
      replacement: {
        precinctId: 'P3',
        serial: '0C0D',
        superseded: ['0A1B'],
        bundle: '/srv/wahlkoffer/pki/replacements/bundles/P3/bundle.json',
        letter: '/srv/wahlkoffer/pki/replacements/letters/P3.html',
      },
    }).text;
    expect(page).toContain('/srv/wahlkoffer/pki/replacements/bundles/P3/bundle.json');
    expect(page).toContain('/srv/wahlkoffer/pki/replacements/letters/P3.html');
    expect(page).toContain('Gesperrt wurden dabei: 0A1B');
    expect(page).toContain('Fingerabdruck aus dem neuen Brief');
  });
});
