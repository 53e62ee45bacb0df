/**
 * Kit benchmark (issue 7): the time to seal one Schnellmeldung on the kit, INCLUDING the durable
 * outbox write — canonical JSON → CMS SignedData (ECDSA P-256) → JWE to the server → AES-256-GCM
 * outbox record → temp file, fsync, rename, fsync of the directory. Target: ≤ 100 ms per report
 * (SPEC §6). Also reports the two halves (seal alone, durable write alone) to show where the time
 * goes. Writes bench/reports/kit-seal.json and bench/reports/kit-seal.md.
 *
 *   npm run bench:kit [-- --reports 200]
 *
 * Runs on a real provisioned and unlocked kit (the kit's own services over a data directory in
 * the OS temp dir), one report per revision, one after the other as a poll worker would; and
 * through the composed kit's "sign and send" (report:seal), which adds the four-eyes signature
 * and the durable write of the signed entry.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sealMeldung } from '../../pki/index.ts';
import { createKitOffice } from '../../tests/koffer-app/office.ts';
import { openStation, provision } from '../../tests/koffer-app/station.ts';
import { urneReport } from '../../tests/central-server/fixture.ts';
import { ENTRY_EVENTS, crashKit, value } from '../../tests/koffer-app/main/crash-kit.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const REPORTS = arg('reports', 200);
const WARMUP = 10;

type Stats = {
  n: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
};

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    n: sorted.length,
    meanMs: round(sorted.reduce((a, b) => a + b, 0) / sorted.length),
    p50Ms: round(at(0.5)),
    p95Ms: round(at(0.95)),
    p99Ms: round(at(0.99)),
    maxMs: round(sorted[sorted.length - 1]!),
  };
}

const loadBefore = loadavg();
const office = await createKitOffice({ name: 'bench' });
const dataDir = mkdtempSync(join(tmpdir(), 'kit-bench-'));
const kit1 = office.kits.get('P1')!;
await provision(office, kit1, dataDir);
// the server URL is never contacted: sealing and storing are local
const station = await openStation(dataDir, kit1.passphrase, 'http://127.0.0.1:9');

const report = (revision: number) => ({
  ...urneReport('P1', [300 + (revision % 50), 200, 100], {
    revision,
    ...(revision > 1 ? { correctionReason: 'Zählfehler berichtigt' } : {}),
  }),
});

const total: number[] = [];
const sealOnly: number[] = [];
const writeOnly: number[] = [];
for (let i = 1; i <= REPORTS + WARMUP; i++) {
  const tally = report(i);
  const t0 = performance.now();
  await station.outbox.seal(station.material, tally);
  const t1 = performance.now();
  const sealed = await sealMeldung(tally, { ...station.material, now: new Date() });
  const t2 = performance.now();
  await station.store.put(`bench-${i}`, { envelope: Buffer.from(sealed).toString('utf8'), tally });
  const t3 = performance.now();
  if (i > WARMUP) {
    total.push(t1 - t0);
    sealOnly.push(t2 - t1);
    writeOnly.push(t3 - t2);
  }
}
await station.close();

// The same through the composed kit, as the poll worker's "sign and send" runs it: the four-eyes
// machine signs, the report is sealed and stored in the outbox, the signed entry is stored.
// Each round is a correction (revision n + 1) typed in full; only sealReport is timed.
const kitDir = mkdtempSync(join(tmpdir(), 'kit-bench-kit-'));
const kitRounds = Math.max(10, Math.round(REPORTS / 4));
const { kit, bridge } = await crashKit(kitDir, 'http://127.0.0.1:9', kit1.bundleFile);
const [candidate] = (await value(bridge.getStatus({}))).bundleCandidates;
await value(
  bridge.installBundle({ candidateId: candidate!.id, rootFingerprint: office.rootFingerprint }),
);
await value(bridge.unlock({ passphrase: kit1.passphrase }));
const viaKit: number[] = [];
for (let round = 1; round <= kitRounds + 2; round++) {
  if (round > 1) {
    await value(
      bridge.dispatchEntry({
        contestId: 'OB',
        event: { type: 'START_CORRECTION', reason: 'Stapel neu gezählt' },
      }),
    );
  }
  for (const event of ENTRY_EVENTS) await value(bridge.dispatchEntry({ contestId: 'OB', event }));
  const t0 = performance.now();
  await value(bridge.sealReport({ contestId: 'OB' }));
  if (round > 2) viaKit.push(performance.now() - t0);
}
await kit.close();
rmSync(kitDir, { recursive: true, force: true });
const loadAfter = loadavg();
rmSync(dataDir, { recursive: true, force: true });
office.cleanup();

const result = {
  benchmark: 'kit seal incl. durable outbox write',
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  disk: tmpdir(),
  reports: REPORTS,
  loadavgBefore: loadBefore.map((x) => Math.round(x * 100) / 100),
  loadavgAfter: loadAfter.map((x) => Math.round(x * 100) / 100),
  targetMs: 100,
  signSealAndStoreViaKit: stats(viaKit),
  sealAndStore: stats(total),
  sealOnly: stats(sealOnly),
  durableWriteOnly: stats(writeOnly),
};
const verdict = result.signSealAndStoreViaKit.p95Ms <= result.targetMs ? 'meets' : 'MISSES';
const md = `# Kit: seal time per report, including the durable outbox write

Command: \`npm run bench:kit -- --reports ${REPORTS}\` (${result.date}, Node ${result.node},
${result.cores} × ${result.cpu}, data directory under ${result.disk}).
Load average (1/5/15 min) before: ${result.loadavgBefore.join(' / ')}, after: ${result.loadavgAfter.join(' / ')}.

| step (ms per report) | n | mean | p50 | p95 | p99 | max |
|---|---|---|---|---|---|---|
| "sign and send" through the kit: sign, seal, durable outbox write, durable signed entry (what the poll worker waits for) | ${row(result.signSealAndStoreViaKit)} |
| seal + durable outbox write (outbox.seal) | ${row(result.sealAndStore)} |
| seal alone (RFC 8785 → CMS ECDSA P-256 → JWE) | ${row(result.sealOnly)} |
| durable write alone (AES-GCM, temp file, fsync, rename, fsync dir) | ${row(result.durableWriteOnly)} |

Target ≤ ${result.targetMs} ms per report: p95 ${result.signSealAndStoreViaKit.p95Ms} ms through the kit — ${verdict} the target.
The load average says how busy the 2-core machine was (other engineers' test suites); a
quiet-machine run gives the product's figure.
`;
function row(s: Stats): string {
  return `${s.n} | ${s.meanMs} | ${s.p50Ms} | ${s.p95Ms} | ${s.p99Ms} | ${s.maxMs}`;
}
writeFileSync(
  new URL('../reports/kit-seal.json', import.meta.url),
  `${JSON.stringify(result, null, 2)}\n`,
);
writeFileSync(new URL('../reports/kit-seal.md', import.meta.url), md);
process.stdout.write(md);
