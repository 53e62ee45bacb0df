import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, lstatSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseServerConfig,
  startServer,
  type RunningServer,
} from '../../../central-server/index.ts';
import { createLogger } from '../../../central-server/logger.ts';
import {
  createOffice,
  openSession,
  startTestServer,
  submit,
  urneReport,
  type Office,
} from '../fixture.ts';

let office: Office;
let server: RunningServer;
let publishDir: string;

type Results = {
  lastSequence: number;
  generatedAt: string;
  areas: {
    id: string;
    ballots: {
      id: string;
      districts: { reported: number };
      sections: { votes: Record<string, number> }[];
    }[];
  }[];
};

/** Polls results.json until `done` holds (publication is asynchronous; no fixed sleeps). */
async function resultsWhen(done: (r: Results) => boolean, timeoutMs = 20_000): Promise<Results> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = (await (await fetch(`${server.resultsUrl}results.json`)).json()) as Results;
    if (done(r)) return r;
    if (Date.now() > until)
      throw new Error(
        `results.json never reached the condition: ${JSON.stringify(r).slice(0, 300)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function report(precinctId: string, votes: [number, number, number]): Promise<number> {
  const kit = office.kits.get(precinctId)!;
  const session = await openSession(server, kit);
  const answer = await submit(
    server,
    session.body.token as string,
    await kit.seal(urneReport(precinctId, votes)),
  );
  expect(answer.status).toBe(201);
  return answer.body.sequence as number;
}

beforeAll(async () => {
  office = await createOffice();
  publishDir = join(office.dir, 'public');
  server = await startTestServer(office, undefined, undefined, { publishDir });
});
afterAll(async () => {
  await server.close();
  office.cleanup();
});

describe('the published results', () => {
  it('exist before the first report: every district "nicht gemeldet"', async () => {
    const page = await fetch(server.resultsUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('0 von 4 Stimmbezirken ausgezählt');
    expect(html).not.toMatch(/<script/i);
    expect((await resultsWhen(() => true)).lastSequence).toBe(0);
  });

  it('follow an accepted report, with the right totals on the page and in results.json', async () => {
    const sequence = await report('P1', [300, 250, 140]);
    const r = await resultsWhen((x) => x.lastSequence >= sequence);
    const ob = r.areas.find((a) => a.id === 'M')!.ballots.find((b) => b.id === 'OB')!;
    expect(ob.districts.reported).toBe(1);
    expect(ob.sections[0]!.votes).toEqual({ c1: 300, c2: 250, c3: 140 });
    const html = await (await fetch(server.resultsUrl)).text();
    expect(html).toContain('1 von 4 Stimmbezirken ausgezählt');
    expect(html).toContain('Anna Alt');
    expect(html).toMatch(/43,5\s%/u); // 300 / 690, with a no-break space
    const en = await (await fetch(`${server.resultsUrl}index.en.html`)).text();
    expect(en).toContain('1 of 4 polling districts counted');
    expect(en).toContain('43.5%');
    const district = await (await fetch(`${server.resultsUrl}gebiet-SB1.html`)).text();
    expect(district).toContain('eingegangen');
    expect(district).toContain('vom Wahlkoffer, signiert');
  });

  it('are served with ETag, Cache-Control and a strict CSP, and answer 304 to a matching If-None-Match', async () => {
    const first = await fetch(`${server.resultsUrl}results.json`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=1');
    expect(first.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(first.headers.get('access-control-allow-origin')).toBe('*');
    const again = await fetch(`${server.resultsUrl}results.json`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    const head = await fetch(`${server.resultsUrl}results.json`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(first.headers.get('content-length'));
  });

  it("answer only the snapshot's files: redirect for the bare prefix, 404 for anything else, 405 for POST", async () => {
    const bare = await fetch(server.resultsUrl.replace(/\/$/, ''), { redirect: 'manual' });
    expect(bare.status).toBe(308);
    expect((await fetch(`${server.resultsUrl}nope.html`)).status).toBe(404);
    expect((await fetch(`${server.resultsUrl}..%2Fserver.db`)).status).toBe(404);
    expect((await fetch(`${server.resultsUrl}%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);
    expect((await fetch(`${server.resultsUrl}results.json`, { method: 'POST' })).status).toBe(405);
    // the API is still there behind the fast path
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('are the same bytes in --publish-dir, a link to a complete snapshot directory', async () => {
    expect(lstatSync(publishDir).isSymbolicLink()).toBe(true);
    const names = ['index.html', 'results.json', 'OB.kerg.csv', 'OB.eml.xml', 'manifest.json'];
    const differing = async () => {
      const out: string[] = [];
      for (const name of names) {
        const served = Buffer.from(
          await (await fetch(`${server.resultsUrl}${name}`)).arrayBuffer(),
        );
        if (!readFileSync(join(publishDir, name)).equals(served)) out.push(name);
      }
      return out;
    };
    // A snapshot can switch between the two reads (a log checkpoint makes another one, and the
    // link on disk moves a moment before the server's table): compare once it has settled.
    let differ = await differing();
    for (let i = 0; differ.length > 0 && i < 50; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      differ = await differing();
    }
    expect(differ).toEqual([]);
  });
});

describe('a newsroom checking a mirror with openssl', () => {
  let mirror: string;
  beforeAll(() => {
    mirror = join(office.dir, 'mirror');
    cpSync(publishDir, mirror, { recursive: true, dereference: true });
    copyFileSync(join(office.pkiDir, 'root-ca.pem'), join(office.dir, 'root-ca.pem'));
  });

  const verify = (manifest: string) =>
    spawnSync(
      'openssl',
      [
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        join(mirror, 'manifest.p7s'),
        '-content',
        manifest,
        '-CAfile',
        join(office.dir, 'root-ca.pem'),
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ],
      { encoding: 'utf8' },
    );
  const checkHashes = () => {
    const manifest = JSON.parse(readFileSync(join(mirror, 'manifest.json'), 'utf8')) as {
      files: { path: string; sha256: string }[];
    };
    const list = manifest.files.map((f) => `${f.sha256}  ${f.path}\n`).join('');
    return spawnSync('sha256sum', ['-c', '--quiet', '-'], {
      cwd: mirror,
      input: list,
      encoding: 'utf8',
    });
  };

  it('accepts manifest.p7s with the office root, and every file matches its hash', () => {
    const ok = verify(join(mirror, 'manifest.json'));
    expect(ok.stderr).toContain('Verification successful');
    expect(ok.status).toBe(0);
    expect(checkHashes().status).toBe(0);
    const listed = (
      JSON.parse(readFileSync(join(mirror, 'manifest.json'), 'utf8')) as {
        files: { path: string }[];
      }
    ).files.map((f) => f.path);
    // every file of the snapshot, also in folders (transparency/checkpoint.txt), is listed
    const files = readdirSync(mirror, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile())
      .map((f) => relative(mirror, join(f.parentPath, f.name)))
      .filter((f) => !f.startsWith('manifest.'));
    expect(listed.sort()).toEqual(files.sort());
    expect(listed).toContain('transparency/checkpoint.txt');
  });

  it('refuses the manifest after one byte of it changes, and the hash check catches a changed data file', () => {
    const manifest = readFileSync(join(mirror, 'manifest.json'));
    const forged = Buffer.from(manifest);
    const at = forged.indexOf('"size": ') + 8;
    forged[at] = forged[at] === 0x31 ? 0x32 : 0x31;
    const forgedFile = join(office.dir, 'forged-manifest.json');
    writeFileSync(forgedFile, forged);
    const refused = verify(forgedFile);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/verification failure|digest failure/i);

    const results = readFileSync(join(mirror, 'results.json'));
    results[results.length - 2] = results[results.length - 2] === 0x5d ? 0x7d : 0x5d;
    writeFileSync(join(mirror, 'results.json'), results);
    expect(verify(join(mirror, 'manifest.json')).status).toBe(0); // the signature is on the manifest …
    const check = checkHashes(); // … and the manifest's hash no longer matches results.json
    expect(check.status).not.toBe(0);
    expect(check.stdout).toContain('results.json: FAILED');
  });

  it('is signed by the publication certificate of this election', () => {
    const certs = execFileSync(
      'openssl',
      ['pkcs7', '-inform', 'DER', '-in', join(mirror, 'manifest.p7s'), '-print_certs', '-noout'],
      { encoding: 'utf8' },
    );
    expect(certs).toContain('publication-signing');
  });
});

describe('a restart', () => {
  it('serves the last snapshot at once, and publishes the same totals again from the database', async () => {
    const before = await resultsWhen(() => true);
    await server.close();
    const config = parseServerConfig({
      plainHttp: true,
      pkiDir: office.pkiDir,
      electionFile: office.electionFile,
      db: join(office.dir, 'server.db'),
      port: 0,
      publishDir,
    });
    // not waiting for the first build: the previous run's snapshot answers meanwhile
    server = await startServer(config, {
      logger: createLogger('silent'),
      publication: { startupWaitMs: 0 },
    });
    const first = await fetch(server.resultsUrl);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('1 von 4 Stimmbezirken ausgezählt');
    // then this run's own first snapshot (a new generatedAt), with the same figures
    const after = await resultsWhen((r) => r.generatedAt !== before.generatedAt);
    expect(after.lastSequence).toBe(before.lastSequence);
    expect(after.areas).toEqual(before.areas);
    // the earlier run's leftovers are gone: only snapshots, and the `.tmp` of a build of this run
    // that may be under way at this moment (it becomes the next snapshot by rename)
    const snapshots = readdirSync(`${publishDir}.snapshots`);
    expect(snapshots.filter((n) => !/^\d{10}(\.tmp)?$/.test(n))).toEqual([]);
  });
});
