import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startServerProcess } from '../../cli/demo/server-process.ts';
import { fetchPublication, snapshotTotals } from '../../cli/demo/publication.ts';
import { compareTotals, truthTotals } from '../../cli/demo/totals.ts';
import { fireLoad } from '../intake/load.ts';
import { machine } from '../intake/report.ts';
import { prepareScenario, SERVER_START_TIMEOUT_MS } from '../intake/prepare.ts';
import { processCpuSeconds } from '../servers/cpu.ts';
import { LagProbe } from './lag.ts';
import { startNginx } from './nginx.ts';
import { writePublicationReport, type PublicationReport, type Pair } from './report.ts';
import { runWrk } from './wrk.ts';

/**
 * `npm run bench:publication [-- --quick]` (issue 8): the public results page and results.json
 * under 256 concurrent clients (wrk) while the intake runs at full rate, against nginx serving
 * the same snapshot files in the same run, plus the publication lag. Writes
 * bench/reports/publication.{json,md} (--quick: publication-quick.*). decisions/0084.
 */
const quick = process.argv.includes('--quick');
const spec = quick
  ? {
      shape: 'germany-btw2025' as const,
      seed: 2025,
      urnen: 100,
      revisions: 40,
      seconds: 3,
      rounds: 1,
    }
  : {
      shape: 'germany-btw2025' as const,
      seed: 2025,
      urnen: 1000,
      revisions: 32,
      seconds: 5,
      rounds: 2,
    };
const CONNECTIONS = 256;
const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** wrk against our server and nginx, file by file, alternating (server, nginx) `rounds` times. */
async function measure(
  serverUrl: string,
  nginxUrl: string,
  seconds: number,
  rounds: number,
): Promise<Pair[]> {
  const pairs: Pair[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const file of ['index.html', 'results.json']) {
      const server = await runWrk(`${serverUrl}/${file}`, CONNECTIONS, seconds);
      const nginx = await runWrk(`${nginxUrl}/${file}`, CONNECTIONS, seconds);
      log(
        `    ${file}: server ${server.requestsPerSecond.toFixed(0)}/s, nginx ${nginx.requestsPerSecond.toFixed(0)}/s`,
      );
      pairs.push({
        file,
        round,
        server,
        nginx,
        ratio: server.requestsPerSecond / nginx.requestsPerSecond,
      });
    }
  }
  return pairs;
}

const loadStart = os.loadavg()[0] ?? 0;
const dir = await mkdtemp(path.join(os.tmpdir(), 'wk-bench-publication-'));
await chmod(dir, 0o755); // nginx's workers run as nobody
log(
  `${spec.shape} (${spec.urnen} Urnenwahlbezirke + their Briefwahlbezirke), server and nginx in ${dir}`,
);
// the office and the sealed reports come from bench:intake's preparation (cached for the day)
const {
  office,
  sends,
  stations: prepared,
} = await prepareScenario({ name: 'publication', ...spec }, { log });
const publishDir = path.join(dir, 'publication');
const server = await startServerProcess({
  pkiDir: office.pkiDir,
  electionFile: office.electionFile,
  dbFile: path.join(dir, 'publication.db'),
  extraArgs: ['--publish-dir', publishDir, '--public-port', '0', '--log-level', 'warn'],
  timeoutMs: SERVER_START_TIMEOUT_MS,
});
// the publication thread's own listener: what the public (or a CDN) would be pointed at
let publicUrl: string | undefined;
for (let i = 0; i < 100 && publicUrl === undefined; i++) {
  publicUrl = /public results on (http:\/\/\S+?)\/? /.exec(server.output())?.[1];
  if (publicUrl === undefined) await new Promise((r) => setTimeout(r, 50));
}
if (publicUrl === undefined)
  throw new Error(`no public URL in the server's output:\n${server.output()}`);
const nginx = await startNginx(publishDir, path.join(dir, 'nginx'));
try {
  log(`  idle (no intake): wrk -c${CONNECTIONS}, ${spec.seconds} s per file and server`);
  const idle = await measure(publicUrl, nginx.url, spec.seconds, 1);
  const probe = new LagProbe(`${publicUrl}/results.json`);
  probe.start();
  const serverCpu = processCpuSeconds(server.child.pid);
  log(`  intake at full rate: ${sends.length} reports at concurrency 64, wrk meanwhile`);
  let intakeDone = false;
  const intake = fireLoad(server.url, sends, 64, undefined, probe.onAccepted).finally(
    () => (intakeDone = true),
  );
  await new Promise((r) => setTimeout(r, 1000)); // intake up to speed
  const underLoad = await measure(publicUrl, nginx.url, spec.seconds, spec.rounds);
  const measuredWhileIntake = !intakeDone;
  const load = await intake;
  const serverCpuSeconds = processCpuSeconds(server.child.pid) - serverCpu;
  // the probe runs until a snapshot shows the last accepted report
  const published = await fetchPublication(`${publicUrl}/`, prepared.length, 30_000);
  await probe.until(probe.maxAccepted, 30_000);
  await probe.stop();
  const differences = compareTotals(
    truthTotals(office.definition, office.truth),
    snapshotTotals(published, office.definition),
  );
  const report: PublicationReport = {
    date: new Date().toISOString(),
    command: `npm run bench:publication${quick ? ' -- --quick' : ''}`,
    machine: machine(),
    loadAverage: { start: loadStart, end: os.loadavg()[0] ?? 0 },
    targets: { ratio: 0.5, lagP99Ms: 1000 },
    scenario: {
      ...spec,
      stations: prepared.length,
      reports: sends.length,
      connections: CONNECTIONS,
      nginxWorkers: 1,
    },
    intake: { ...load, serverCpuSeconds, measuredWhileIntake },
    idle,
    underLoad,
    lag: probe.result(),
    totalsMatchTruth: differences.length === 0,
  };
  await writePublicationReport(
    path.resolve(import.meta.dirname, '../reports'),
    quick ? 'publication-quick' : 'publication',
    report,
  );
  log(`wrote bench/reports/${quick ? 'publication-quick' : 'publication'}.{json,md}`);
} finally {
  await nginx.stop();
  await server.stop('SIGTERM');
  await rm(dir, { recursive: true, force: true });
}
