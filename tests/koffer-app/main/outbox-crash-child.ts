// The crash test's kit process: the composed kit on a data directory, unlocked; it signs and
// seals the report that is ready to sign and delivers it. With crashAt it kills itself with
// SIGKILL at that outbox step, as a power cut would.
import type { OutboxStep } from '../../../koffer-app/main/outbox/outbox.ts';
import { crashKit, value } from './crash-kit.ts';

const args = JSON.parse(process.argv[2]!) as {
  dataDir: string;
  passphrase: string;
  serverUrl: string;
  bundleFile: string;
  crashAt: OutboxStep;
};

const { kit, bridge } = await crashKit(args.dataDir, args.serverUrl, args.bundleFile, (step) => {
  if (step === args.crashAt) process.kill(process.pid, 'SIGKILL');
});
await value(bridge.unlock({ passphrase: args.passphrase }));
await value(bridge.sealReport({ contestId: 'OB' }));
for (let pass = 0; pass < 200 && (await kit.deliverDue()) > 0; pass++) {
  await value(bridge.sendNow({}));
}
await kit.close();
