import { StationClient } from '../../api/index.ts';
import { createKit, type KitOptions } from './kit.ts';
import type { HandlerTable } from './ipc/index.ts';
import { startDeliveryLoop } from './outbox/delivery-loop.ts';
import type { Printer } from './paper/paper-record.ts';
import { createBundleSource } from './provisioning/candidates.ts';

export type KitMainOptions = {
  /** where the kit keeps its files (Electron: app.getPath('userData')) */
  readonly dataDir: string;
  /** bundle files offered for provisioning (the `--bundle` arguments) */
  readonly bundleFiles: readonly string[];
  /** renders the print view to PDF: Electron's printToPDF, or Chromium's page.pdf() */
  readonly printer: Printer;
  /** where removable media appear (default: /media and /run/media, or D:–F: on Windows) */
  readonly mediaDirs?: readonly string[];
  readonly clock?: () => Date;
  /** jitter of the retry back-off only; nothing secret depends on it */
  readonly random?: () => number;
  /** the station client; default: the HTTP contract's StationClient, TLS pinned to the root */
  readonly connect?: KitOptions['connect'];
  readonly onError?: (error: unknown) => void;
} & Partial<Pick<KitOptions, 'lockout' | 'backoff' | 'checkpoint'>>;

export type KitMain = {
  readonly handlers: HandlerTable;
  /** one delivery pass now (the loop runs anyway) */
  deliverDue(): Promise<number>;
  /** stops the delivery loop and forgets the key */
  close(): Promise<void>;
};

const defaultMediaDirs = () =>
  process.platform === 'win32' ? ['D:\\', 'E:\\', 'F:\\'] : ['/media', '/run/media'];

/**
 * The kit's main process, composed once for every host: Electron's main (electron/electron-main.ts)
 * and the Chromium harness (cli/) build it the same way and route their bridge through
 * `createDispatch({ handlers })`. The delivery loop runs until `close`.
 */
export async function createKitMain(options: KitMainOptions): Promise<KitMain> {
  const clock = options.clock ?? (() => new Date());
  let kick = () => {};
  const kit = await createKit({
    dataDir: options.dataDir,
    bundles: createBundleSource({
      files: options.bundleFiles,
      mediaDirs: options.mediaDirs ?? defaultMediaDirs(),
    }),
    clock,
    random: options.random ?? Math.random,
    connect:
      options.connect ?? (({ url, rootCaPem }) => new StationClient({ serverUrl: url, rootCaPem })),
    printer: options.printer,
    onOutboxWork: () => kick(),
    ...(options.lockout === undefined ? {} : { lockout: options.lockout }),
    ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
    ...(options.checkpoint === undefined ? {} : { checkpoint: options.checkpoint }),
  });
  const loop = startDeliveryLoop({
    deliverDue: kit.deliverDue,
    nextDue: kit.nextDue,
    clock,
    onError: options.onError ?? ((error) => console.error('delivery:', describe(error))),
  });
  kick = loop.kick;
  return {
    handlers: kit.handlers,
    deliverDue: kit.deliverDue,
    close: async () => {
      loop.stop();
      await kit.close();
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
