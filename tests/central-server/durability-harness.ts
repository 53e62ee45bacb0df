import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { generate } from 'otplib';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { Aggregator, indexElection, SchnellmeldungSchema } from '../../election/index.ts';
import type { ElectionDefinition, Schnellmeldung } from '../../election/index.ts';
import { loadStationBundle, sealMeldung, signSessionChallenge } from '../../pki/index.ts';
import { setUpExerciseOffice, type ExerciseOffice } from '../../cli/demo/exercise-office.ts';
import { startServerProcess, type ServerProcess } from '../../cli/demo/server-process.ts';

/*
 * The durability test's harness. It drives the server only as a black box — the `wahlkoffer`
 * commands as child processes (the demo's office builder and server launcher) and HTTP — and
 * reads the SQLite file directly afterwards.
 */

export type Office = ExerciseOffice & { readonly dbFile: string };

/** A cut-down Munich election held today, with its PKI and every station issued (test KDF). */
export async function setUpOffice(dir: string, urnen: number): Promise<Office> {
  const office = await setUpExerciseOffice(dir, 'munich-kw2020', 11, urnen);
  return { ...office, dbFile: path.join(dir, 'wahlkoffer.db') };
}

/** `wahlkoffer server` as a child process on the office's database, on a free port. */
export function startServer(office: Office): Promise<ServerProcess> {
  return startServerOn(office, office.dbFile);
}

/**
 * `wahlkoffer server` on `db` (a SQLite file or a PostgreSQL URL), on `port` (default: a free
 * one), publishing into a folder of its own (`name`).
 */
export function startServerOn(
  office: Office,
  db: string,
  name = 'server',
  port = 0,
): Promise<ServerProcess> {
  return startServerProcess({
    pkiDir: office.pkiDir,
    electionFile: office.electionFile,
    dbFile: db,
    port,
    extraArgs: ['--publish-dir', path.join(office.dir, `publication-${name}`)],
  });
}

export type Answer =
  | { kind: 'ACCEPTED'; status: number; sequence: number; receiptCode: string }
  | { kind: 'REFUSED'; status: number; code: string }
  | { kind: 'NO_ANSWER'; message: string };

const AcceptedSchema = z.object({
  status: z.literal('ACCEPTED'),
  sequence: z.number(),
  receiptCode: z.string(),
});

export async function postJson(
  url: string,
  body: string,
  token?: string,
): Promise<{ status: number; json: unknown }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, json: await response.json().catch(() => undefined) };
}

export async function sendReport(url: string, token: string, envelope: string): Promise<Answer> {
  try {
    const { status, json } = await postJson(`${url}/api/v1/reports`, envelope, token);
    const accepted = AcceptedSchema.safeParse(json);
    if (accepted.success) {
      const { sequence, receiptCode } = accepted.data;
      return { kind: 'ACCEPTED', status, sequence, receiptCode };
    }
    const code = z.object({ error: z.object({ code: z.string() }) }).safeParse(json);
    return {
      kind: 'REFUSED',
      status,
      code: code.success ? code.data.error.code : `HTTP ${status}`,
    };
  } catch (error) {
    return { kind: 'NO_ANSWER', message: error instanceof Error ? error.message : String(error) };
  }
}

/** A kit in the morning: unlock the bundle, open a session (proof + TOTP), seal its report. */
export async function prepareKit(
  office: Office,
  url: string,
  tally: Schnellmeldung,
): Promise<{ token: string; envelope: string }> {
  const secret = office.secrets[tally.precinctId]!;
  const bundle = await readFile(path.join(office.bundlesDir, tally.precinctId, 'bundle.json'));
  const kit = await loadStationBundle(bundle, secret.passphrase, { now: new Date() });
  const challenge = z
    .object({ challenge: z.string() })
    .parse((await postJson(`${url}/api/v1/sessions/challenge`, '{}')).json).challenge;
  const session = await postJson(
    `${url}/api/v1/sessions`,
    JSON.stringify({
      certificateChain: [kit.stationCertificate, ...kit.chain].map((c) =>
        Buffer.from(c.der).toString('base64'),
      ),
      challenge,
      signature: Buffer.from(
        signSessionChallenge(new TextEncoder().encode(challenge), kit.stationKey),
      ).toString('base64'),
      totp: await generate({ secret: secret.totpSecret }),
    }),
  );
  const token = z.object({ token: z.string() }).parse(session.json).token;
  const envelope = await sealMeldung(tally, { ...kit, now: new Date() });
  return { token, envelope: Buffer.from(envelope).toString('utf8') };
}

export type StoredReport = {
  sequence: number;
  precinctId: string;
  contestId: string;
  revision: number;
  signedBytes: Buffer;
};

/** What the SQLite file holds, read directly (read-only), plus SQLite's own integrity check. */
export function readDatabase(dbFile: string): {
  reports: StoredReport[];
  receipts: Map<number, string>;
  integrity: string;
} {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const reports = db
      .prepare(
        'SELECT sequence, precinctId, contestId, revision, signedBytes FROM Report ORDER BY sequence',
      )
      .all() as StoredReport[];
    const rows = db.prepare('SELECT sequence, receiptCode FROM Receipt').all() as {
      sequence: number;
      receiptCode: string;
    }[];
    const integrity = (db.prepare('PRAGMA integrity_check').get() as { integrity_check: string })
      .integrity_check;
    return { reports, receipts: new Map(rows.map((r) => [r.sequence, r.receiptCode])), integrity };
  } finally {
    db.close();
  }
}

/** Votes per candidate of each contest, as the election package's Aggregator adds them up. */
export function countVotes(
  definition: ElectionDefinition,
  reports: readonly Schnellmeldung[],
): Record<string, Record<string, number>> {
  const aggregator = new Aggregator(indexElection(definition));
  for (const r of reports) {
    const applied = aggregator.apply(r);
    if (!applied.ok) throw new Error(`${r.precinctId}: ${applied.code}`);
  }
  return Object.fromEntries(
    definition.contests.map((c) => [c.id, { ...aggregator.totals(c.id, c.areaId)?.candidates }]),
  );
}

export function storedSchnellmeldungen(reports: readonly StoredReport[]): Schnellmeldung[] {
  return reports.map((r) => SchnellmeldungSchema.parse(JSON.parse(r.signedBytes.toString('utf8'))));
}

/** The published votes per candidate at the root of each contest (GET /api/v1/results). */
export async function publishedVotes(
  url: string,
): Promise<{ votes: Record<string, Record<string, number>>; reported: number }> {
  const body = z
    .object({
      contests: z.array(
        z.object({
          contestId: z.string(),
          root: z.object({ reported: z.number(), candidates: z.record(z.string(), z.number()) }),
        }),
      ),
    })
    .parse(await (await fetch(`${url}/api/v1/results`)).json());
  return {
    votes: Object.fromEntries(body.contests.map((c) => [c.contestId, c.root.candidates])),
    reported: body.contests.reduce((n, c) => n + c.root.reported, 0),
  };
}
