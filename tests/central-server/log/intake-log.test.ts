import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../central-server/index.ts';
import { createTrust } from '../../../pki/chain.ts';
import { verifyReceipt, type Receipt } from '../../../pki/receipt.ts';
import {
  EMPTY_FRONTIER,
  appendLeaves,
  equalBytes,
  frontierRoot,
  leafBytes,
  leafHash,
  openCheckpoint,
  parseVerifierKey,
  reportLeaf,
  verifyLogInclusion,
  type NoteKey,
} from '../../../transparency/index.ts';
import {
  createOffice,
  openSession,
  startTestServer,
  submit,
  urneReport,
  type Answer,
  type Office,
} from '../fixture.ts';

/*
 * The transparency log inside the server (decisions/0091, 0092): every accepted report becomes a
 * leaf in the same transaction as the report, and its receipt proves it, against a checkpoint
 * signed with the key the ceremony made — the key a kit pins.
 */
let office: Office;
let key: NoteKey;
beforeAll(async () => {
  office = await createOffice();
  key = parseVerifierKey(readFileSync(join(office.pkiDir, 'checkpoint.vkey'), 'utf8'));
});
afterAll(() => office.cleanup());

type ReportRow = {
  sequence: number;
  electionId: string;
  precinctId: string;
  contestId: string;
  revision: number;
  contentHash: string;
  signedData: Buffer;
  acceptedAt: string;
  source: 'kit' | 'telefonisch';
};

function readDb(file: string) {
  const sqlite = new Database(file, { readonly: true });
  try {
    return {
      reports: sqlite.prepare('SELECT * FROM "Report" ORDER BY "sequence"').all() as ReportRow[],
      leaves: sqlite.prepare('SELECT * FROM "LogLeaf" ORDER BY "index"').all() as {
        index: number;
        sequence: number;
        leaf: string;
      }[],
      checkpoints: sqlite.prepare('SELECT * FROM "Checkpoint" ORDER BY "size"').all() as {
        size: number;
        note: string;
      }[],
    };
  } finally {
    sqlite.close();
  }
}

/** The leaf an auditor rebuilds from the stored report alone. */
function rebuiltLeaf(r: ReportRow): string {
  return reportLeaf({
    electionId: r.electionId,
    precinctId: r.precinctId,
    contestId: r.contestId,
    revision: r.revision,
    sequence: r.sequence,
    serverTime: new Date(r.acceptedAt).toISOString(),
    tallyHash: r.contentHash,
    source: 'kit',
    signedDataHash: createHash('sha256').update(r.signedData).digest('hex'),
  });
}

const trust = () => createTrust(readFileSync(join(office.pkiDir, 'root-ca.pem'), 'utf8'));
const receiptOf = (answer: Answer): Receipt =>
  verifyReceipt(Buffer.from(answer.body.receipt as string, 'base64'), trust(), new Date());

async function sendAll(server: RunningServer, plan: [string, [number, number, number], number][]) {
  const tokens = new Map<string, string>();
  const answers: Answer[] = [];
  for (const [precinctId, d, revision] of plan) {
    const kit = office.kits.get(precinctId)!;
    let token = tokens.get(precinctId);
    if (token === undefined) {
      token = (await openSession(server, kit)).body.token as string;
      tokens.set(precinctId, token);
    }
    const extra = revision === 1 ? {} : { revision, correctionReason: 'neu gezählt' };
    answers.push(await submit(server, token, await kit.seal(urneReport(precinctId, d, extra))));
  }
  return answers;
}

/** The checkpoint in the public snapshot, once it satisfies `ready` (publication is async). */
async function publishedCheckpoint(server: RunningServer, ready: (note: string) => boolean) {
  for (let attempt = 0; attempt < 100; attempt++) {
    await server.publicationFlush();
    const res = await fetch(`${server.resultsUrl}transparency/checkpoint.txt`);
    const note = res.ok ? await res.text() : '';
    if (ready(note)) {
      const manifest = (await (await fetch(`${server.resultsUrl}manifest.json`)).json()) as {
        files: { path: string; sha256: string }[];
      };
      const entry = manifest.files.find((f) => f.path === 'transparency/checkpoint.txt');
      const sha256 = createHash('sha256').update(note).digest('hex');
      return { note, listed: entry?.sha256 === sha256 };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the checkpoint was never published');
}

describe('the transparency log of the intake', () => {
  it('holds every accepted report as a leaf rebuilt from the report, and each receipt proves it', async () => {
    const file = join(office.dir, 'log.db');
    const server = await startTestServer(office, file);
    let answers: Answer[];
    let published: { note: string; listed: boolean };
    try {
      answers = await sendAll(server, [
        ['P1', [300, 250, 140], 1],
        ['P2', [400, 350, 200], 1],
        ['P3', [100, 100, 100], 1],
        ['P3', [101, 100, 100], 2],
      ]);
      published = await publishedCheckpoint(server, (note) => note.includes('\n4\n'));
    } finally {
      await server.close();
    }
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201]);
    const { reports, leaves, checkpoints } = readDb(file);
    expect(leaves.map((l) => [l.index, l.sequence])).toEqual(
      reports.map((r, i) => [i, r.sequence]),
    );
    reports.forEach((r, i) => expect(leaves[i]!.leaf).toBe(rebuiltLeaf(r)));
    answers.forEach((answer, i) => {
      const receipt = receiptOf(answer);
      expect(receipt.log?.index).toBe(i);
      const checkpoint = verifyLogInclusion(rebuiltLeaf(reports[i]!), receipt.log!, key);
      expect(checkpoint.size).toBeGreaterThan(i);
    });
    // the last checkpoint is the root of all leaves, recomputed from nothing but their text
    const frontier = appendLeaves(
      EMPTY_FRONTIER,
      leaves.map((l) => leafHash(leafBytes(l.leaf))),
    ).frontier;
    const last = openCheckpoint(checkpoints.at(-1)!.note, key);
    expect(last.size).toBe(4);
    expect(equalBytes(last.root, frontierRoot(frontier))).toBe(true);
    // the public sees the same signed tree head, listed in the signed manifest
    expect(published.note).toBe(checkpoints.at(-1)!.note);
    expect(published.listed).toBe(true);
  });

  it('a receipt whose report sits in a batch of several proves against that batch’s checkpoint', async () => {
    const file = join(office.dir, 'concurrent.db');
    const server = await startTestServer(office, file);
    try {
      const kits = ['P1', 'P2', 'P3'].map((id) => office.kits.get(id)!);
      const tokens = await Promise.all(
        kits.map(async (k) => (await openSession(server, k)).body.token as string),
      );
      const envelopes = await Promise.all(
        ['P1', 'P2', 'P3'].map((id, i) =>
          office.kits.get(id)!.seal(urneReport(id, [300 + i, 250, 140])),
        ),
      );
      const answers = await Promise.all(envelopes.map((e, i) => submit(server, tokens[i], e)));
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
      const { reports } = readDb(file);
      for (const answer of answers) {
        const receipt = receiptOf(answer);
        const report = reports.find((r) => r.sequence === receipt.sequence)!;
        verifyLogInclusion(rebuiltLeaf(report), receipt.log!, key);
      }
      // a repeat is answered with the stored receipt: the same proof, still valid
      const again = await submit(server, tokens[0], envelopes[0]!);
      expect(again.status).toBe(200);
      expect(again.body.receipt).toBe(answers[0]!.body.receipt);
    } finally {
      await server.close();
    }
  });

  it('stores neither report nor leaf when the commit fails, and goes on after a restart', async () => {
    const file = join(office.dir, 'crash.db');
    let server = await startTestServer(office, file);
    try {
      await sendAll(server, [['P1', [300, 250, 140], 1]]);
      const sqlite = new Database(file);
      // the log table fails mid-transaction: the report written before it must roll back too
      sqlite.exec('ALTER TABLE "LogNode" RENAME TO "LogNodeAway"');
      const [failed] = await sendAll(server, [['P2', [400, 350, 200], 1]]);
      expect(failed!.body.error?.code).toBe('STORAGE_FAILED');
      const counts = ['Report', 'LogLeaf', 'Checkpoint', 'Receipt'].map(
        (t) => (sqlite.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n,
      );
      expect(counts).toEqual([1, 1, 1, 1]);
      sqlite.exec('ALTER TABLE "LogNodeAway" RENAME TO "LogNode"');
      sqlite.close();
      await server.close();
      server = await startTestServer(office, file);
      // P2's TOTP step is spent (a code is taken once): P3 sends next
      const [next] = await sendAll(server, [['P3', [100, 100, 100], 1]]);
      expect(next!.status).toBe(201);
      const receipt = receiptOf(next!);
      expect(receipt.log?.index).toBe(1);
      const { reports, leaves } = readDb(file);
      expect(leaves).toHaveLength(2);
      expect(verifyLogInclusion(rebuiltLeaf(reports[1]!), receipt.log!, key).size).toBe(2);
    } finally {
      await server.close();
    }
  });
});
