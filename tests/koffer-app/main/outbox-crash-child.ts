// The crash test's kit process: opens the kit's services on a data directory, seals the report
// (once per revision — a second run finds it) and delivers until the receipt is verified. With
// CRASH_AT it kills itself with SIGKILL at that outbox step, as a power cut would.
import { CRASH_REPORT } from './outbox-crash-report.ts';
import type { OutboxStep } from '../../../koffer-app/main/outbox/outbox.ts';
import { openStation } from '../station.ts';

const { dataDir, passphrase, serverUrl, crashAt } = JSON.parse(process.argv[2]!) as {
  dataDir: string;
  passphrase: string;
  serverUrl: string;
  crashAt?: OutboxStep;
};

const station = await openStation(dataDir, passphrase, serverUrl, {
  checkpoint: (step) => {
    if (step === crashAt) process.kill(process.pid, 'SIGKILL');
  },
  backoff: { baseMs: 10, maxMs: 50 },
});
await station.outbox.seal(station.material, CRASH_REPORT);
for (let pass = 0; pass < 200; pass++) {
  await station.outbox.makeDue();
  if ((await station.deliver()) === 0) break;
}
process.stdout.write(`${JSON.stringify(await station.outbox.list())}\n`);
await station.close();
