import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StationClient, type ReportAnswer } from '../../../api/index.ts';
import type { RunningServer } from '../../../central-server/index.ts';
import { loadServerMaterial, signReceipt, type Receipt } from '../../../pki/index.ts';
import { loadPkiStation } from '../../../cli/simulate/pki-station.ts';
import type { Station } from '../../../cli/simulate/station.ts';
import { urneReport } from '../fixture.ts';
import { createKitOffice, startOfficeServer, type KitOffice } from '../../koffer-app/office.ts';

/*
 * The simulator checks a receipt's log proof exactly as the kit does (api checkReportReceipt,
 * with the checkpoint key pinned from its bundle): the genuine receipt passes, and a receipt
 * the server's real key signed over a changed proof, index or checkpoint is refused.
 */
let office: KitOffice;
let server: RunningServer;
let scratch: string;
let station: Station;
let answer: ReportAnswer;
const tally = urneReport('P1', [300, 250, 140]);
let envelope: string;

beforeAll(async () => {
  office = await createKitOffice({ name: 'receipt-log' });
  scratch = mkdtempSync(join(tmpdir(), 'receipt-log-'));
  server = await startOfficeServer(office, join(scratch, 'server.db'));
  const client = new StationClient({ serverUrl: server.url });
  const send = async (precinctId: string, t: typeof tally) => {
    const kit = office.kits.get(precinctId)!;
    const s = await loadPkiStation(kit.bundleFile, precinctId, kit, office.rootPem);
    const { challenge } = await client.challenge();
    const { token } = await client.openSession({
      ...(await s.proveSession(challenge)),
      challenge,
      totp: await s.totp(new Date()),
    });
    const sealed = await s.seal(t, new Date());
    return { s, sealed, answer: await client.submitReport(token, sealed) };
  };
  // two reports before ours, so its proof has hashes to change
  await send('P2', urneReport('P2', [400, 350, 200]));
  await send('P3', urneReport('P3', [100, 100, 100]));
  ({ s: station, sealed: envelope, answer } = await send('P1', tally));
}, 120_000);
afterAll(async () => {
  await server.close();
  office.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

async function resigned(change: (r: Receipt) => Receipt): Promise<ReportAnswer> {
  const keys = await loadServerMaterial(office.pkiDir, new Date());
  const jws = Buffer.from(answer.receipt, 'base64').toString('utf8');
  const payload = JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString()) as Receipt;
  const { format: _f, receiptCode: _c, ...fields } = change(payload);
  const receipt = Buffer.from(signReceipt(fields, keys.receiptKey, keys.receiptChain));
  return { ...answer, receipt: receipt.toString('base64') };
}

const flip = (s: string) => (s.startsWith('A') ? 'B' : 'A') + s.slice(1);

describe('the simulator checks the log proof in a receipt', () => {
  it('takes the genuine receipt: the report is in the log the pinned key signed', async () => {
    expect(await station.checkReceipt(answer, { tally, envelope }, new Date())).toBeUndefined();
  });

  it.each([
    [
      'a changed proof hash',
      (r: Receipt) => ({ ...r, log: { ...r.log!, proof: r.log!.proof.map(flip) } }),
    ],
    ['another leaf index', (r: Receipt) => ({ ...r, log: { ...r.log!, index: r.log!.index + 1 } })],
    [
      'a checkpoint with a forged signature',
      (r: Receipt) => ({
        ...r,
        log: {
          ...r.log!,
          checkpoint: r.log!.checkpoint.replace(
            / (\S)(\S+)\n$/,
            (_m, a: string, b: string) => ` ${a === 'A' ? 'B' : 'A'}${b}\n`,
          ),
        },
      }),
    ],
    [
      'another SignedData hash',
      (r: Receipt) => ({ ...r, log: { ...r.log!, signedDataHash: 'e'.repeat(64) } }),
    ],
    ['no log proof at all', ({ log: _l, ...r }: Receipt) => r],
  ])('refuses a receipt with %s, though the server’s key signed it', async (_what, change) => {
    const problem = await station.checkReceipt(
      await resigned(change),
      { tally, envelope },
      new Date(),
    );
    expect(problem).toMatch(/log/);
  });
});
