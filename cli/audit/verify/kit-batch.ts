import type { Schnellmeldung } from '../../../election/index.ts';
import type { Trust } from '../../../pki/index.ts';
import type { Finding } from '../findings.ts';
import type { KitContext } from './load.ts';
import { checkKitReport, type KitJob } from './reports.ts';

/** What the check of one kit report hands back to the envelope stream (plain data: it crosses threads). */
export type KitResult = {
  /** this report's findings, in the order checkKitReport found them */
  readonly findings: Finding[];
  /** the signed tally when the signature holds (only verified figures are recounted) */
  readonly tally: Schnellmeldung | undefined;
  readonly signedDataHash: string | undefined;
};

/**
 * Station certificates whose path to the root was checked, per thread. A station sends one report
 * or a few (corrections), so the cache helps only while its reports are near each other in the
 * stream; beyond this many the oldest go (first in, first out), and with them their X509 objects,
 * so memory stays flat however many stations the election has (decisions/0099).
 */
export const CERTIFICATE_CACHE_LIMIT = 4096;

/** Checks kit reports one after the other, in the order given (a worker's batch, or inline). */
export function checkKitReports(ctx: KitContext, entries: readonly KitJob[]): KitResult[] {
  return entries.map((entry) => {
    const findings: Finding[] = [];
    const checked = checkKitReport(ctx, entry, findings);
    boundCache(ctx.trust);
    return { findings, ...checked };
  });
}

function boundCache(trust: Trust): void {
  for (const map of [trust.cache, trust.cas]) {
    while (map.size > CERTIFICATE_CACHE_LIMIT) {
      const oldest = map.keys().next();
      if (oldest.done === true) break;
      map.delete(oldest.value);
    }
  }
}
