import Database from 'better-sqlite3';
import fc from 'fast-check';
import { join } from 'node:path';
import { expect } from 'vitest';
import { isRefusalCode } from '../../../api/index.ts';
import {
  createOffice,
  openSession,
  post,
  sessionRequest,
  startTestServer,
  submit,
  urneReport,
  type Answer,
} from '../fixture.ts';

/** A byte-level mutation of a valid input: flip, insert, delete or overwrite bytes. */
const mutation = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    bit: fc.integer({ min: 0, max: 7 }),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
  fc.record({
    kind: fc.constant('delete' as const),
    at: fc.nat(),
    count: fc.integer({ min: 1, max: 64 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(input: Uint8Array, steps: readonly Mutation[]): Buffer {
  let b = Buffer.from(input);
  for (const m of steps) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    if (m.kind === 'flip' && b.length > 0) b[at] = b[at]! ^ (1 << m.bit);
    if (m.kind === 'insert') b = Buffer.concat([b.subarray(0, at), m.bytes, b.subarray(at)]);
    if (m.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.count)]);
    if (m.kind === 'truncate') b = b.subarray(0, at);
  }
  return b;
}

/** Every answer is a refusal of the contract or a success; never a 5xx, never an unknown code. */
function expectWellFormed(answer: Answer): void {
  expect(answer.status).toBeLessThan(500);
  if (answer.status >= 400) expect(isRefusalCode(answer.body.error?.code ?? '')).toBe(true);
}

async function send(url: string, body: Uint8Array | string, headers: Record<string, string>) {
  const res = await fetch(url, { method: 'POST', headers, body: Buffer.from(body) });
  const text = await res.text();
  let parsed: Answer['body'];
  try {
    parsed = JSON.parse(text) as Answer['body'];
  } catch {
    parsed = { error: { code: `not JSON: ${text.slice(0, 80)}` } };
  }
  return { status: res.status, body: parsed };
}

/**
 * Fuzzes the report and session endpoints of a real server with `numRuns` inputs each: mutated
 * genuine envelopes and session requests, arbitrary JSON and bytes, odd content types. Then
 * checks that nothing but the one genuine report was ever accepted.
 */
export async function fuzzIntake(numRuns: number, seed?: number): Promise<void> {
  const office = await createOffice({ issue: ['P1'] });
  const dbFile = join(office.dir, 'fuzz.db');
  const server = await startTestServer(office, dbFile);
  try {
    const kit = office.kits.get('P1')!;
    const token = (await openSession(server, kit)).body.token as string;
    const genuine = await kit.seal(urneReport('P1', [300, 250, 140]));
    const reports = `${server.url}/api/v1/reports`;
    const params = { numRuns, ...(seed === undefined ? {} : { seed }) };

    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.array(mutation, { minLength: 1, maxLength: 4 }).map((m) => mutate(genuine, m)),
          fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
          fc.json().map((j) => Buffer.from(j)),
        ),
        fc.constantFrom('application/jose', 'application/json', 'text/plain', ''),
        fc.constantFrom(`Bearer ${token}`, `Bearer ${token}x`, 'Basic abc', ''),
        async (body, contentType, authorization) => {
          const headers: Record<string, string> = {};
          if (contentType !== '') headers['content-type'] = contentType;
          if (authorization !== '') headers.authorization = authorization;
          expectWellFormed(await send(reports, body, headers));
        },
      ),
      params,
    );

    const request = await sessionRequest(server, kit, '123456');
    const requestBytes = Buffer.from(JSON.stringify(request));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.array(mutation, { minLength: 1, maxLength: 4 }).map((m) => mutate(requestBytes, m)),
          fc.anything().map((a) => Buffer.from(JSON.stringify(a) ?? 'null')),
          fc
            .record({
              certificateChain: fc.array(fc.string(), { maxLength: 3 }),
              challenge: fc.string(),
              signature: fc.string(),
              totp: fc.string(),
            })
            .map((r) => Buffer.from(JSON.stringify(r))),
        ),
        async (body) => {
          const answer = await post(`${server.url}/api/v1/sessions`, body.toString('latin1'));
          expect(answer.status).toBeLessThan(500);
          if (answer.status >= 400) expect(isRefusalCode(answer.body.error?.code ?? '')).toBe(true);
        },
      ),
      params,
    );

    // the genuine report itself is still accepted, and is the only content ever accepted
    expect((await submit(server, token, genuine)).status).toBeLessThan(300);
  } finally {
    await server.close();
  }
  const db = new Database(dbFile, { readonly: true });
  try {
    const hashes = db.prepare('SELECT DISTINCT contentHash FROM "Report"').all();
    expect(hashes).toHaveLength(1);
  } finally {
    db.close();
    office.cleanup();
  }
}
