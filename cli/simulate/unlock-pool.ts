import { Worker } from 'node:worker_threads';
import type { Crl } from '../../pki/index.ts';

export type UnlockRequest = {
  readonly id: number;
  readonly bundleFile: string;
  readonly passphrase: string;
  readonly rootCaPem: string | undefined;
};

/** A station's unlocked material, as bytes that cross the thread boundary. */
export type UnlockedMaterial = {
  readonly precinctId: string;
  readonly stationKeyPkcs8: Uint8Array;
  readonly stationCertificate: Uint8Array;
  readonly chain: readonly Uint8Array[];
  readonly recipientCertificate: Uint8Array;
  readonly rootCaPem: string;
  /** the bundle's CRL, already verified by loadStationBundle (structured-cloned) */
  readonly crl: Crl;
  /** the log's checkpoint key pinned from the bundle, as C2SP verifier-key text */
  readonly checkpointKey: string;
};

export type UnlockResponse =
  | { readonly id: number; readonly ok: true; readonly material: UnlockedMaterial }
  | { readonly id: number; readonly ok: false; readonly message: string; readonly code?: string };

/** Thrown in the main thread when a worker could not open a bundle (keeps pki's code). */
export class UnlockError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'UnlockError';
  }
}

/**
 * Opening a bundle costs ~40 ms of CPU (it carries and re-validates the whole election
 * definition); 1,274 kits on one thread would set the pace of the demo. A small pool of worker
 * threads does it in parallel while the main thread keeps sending.
 */
export class UnlockPool {
  private workers: Worker[] | undefined;
  private readonly pending = new Map<
    number,
    { resolve: (m: UnlockedMaterial) => void; reject: (e: Error) => void }
  >();
  private nextId = 0;

  /** Threads start on the first unlock, so a source that is never used holds nothing open. */
  constructor(private readonly size: number) {}

  private start(): Worker[] {
    const boot = new URL('./unlock-worker-boot.mjs', import.meta.url);
    return Array.from({ length: Math.max(1, this.size) }, () => {
      const worker = new Worker(boot);
      worker.on('message', (response: UnlockResponse) => {
        const waiter = this.pending.get(response.id);
        if (waiter === undefined) return;
        this.pending.delete(response.id);
        if (response.ok) waiter.resolve(response.material);
        else waiter.reject(new UnlockError(response.message, response.code));
      });
      worker.on('error', (error) => {
        for (const w of this.pending.values()) w.reject(error);
        this.pending.clear();
      });
      return worker;
    });
  }

  unlock(
    bundleFile: string,
    passphrase: string,
    rootCaPem: string | undefined,
  ): Promise<UnlockedMaterial> {
    this.workers ??= this.start();
    const id = this.nextId++;
    const worker = this.workers[id % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const request: UnlockRequest = { id, bundleFile, passphrase, rootCaPem };
      worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    const workers = this.workers ?? [];
    this.workers = undefined;
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
