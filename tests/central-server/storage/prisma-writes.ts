import type { Prisma } from '../../../central-server/storage/database.ts';
import type { IntakeBatch } from '../../../central-server/storage/repository.ts';

/**
 * An intake batch written through Prisma's own model API: the encodings the server's plain SQL must
 * match, because Prisma (the audit export, the schema engine) reads the same tables.
 */
export async function writeWithPrisma(prisma: Prisma, batch: IntakeBatch): Promise<void> {
  // Prisma's types want bytes on a plain ArrayBuffer
  const bytes = (b: Uint8Array) => new Uint8Array(b);
  await prisma.$transaction(async (tx) => {
    await tx.receivedEnvelope.createMany({
      data: batch.envelopes.map((e) => ({ ...e, body: bytes(e.body) })),
    });
    await tx.report.createMany({
      data: batch.reports.map((r) => ({
        ...r,
        signedBytes: bytes(r.signedBytes),
        signedData: bytes(r.signedData),
      })),
    });
    await tx.receipt.createMany({
      data: batch.receipts.map((r) => ({ ...r, receipt: bytes(r.receipt) })),
    });
    for (const c of batch.current) {
      await tx.currentReport.upsert({
        where: { precinctId_contestId: { precinctId: c.precinctId, contestId: c.contestId } },
        create: c,
        update: { sequence: c.sequence, revision: c.revision },
      });
    }
    await tx.auditEvent.createMany({ data: [...batch.audit] });
    await tx.logLeaf.createMany({ data: [...batch.leaves] });
    await tx.logNode.createMany({ data: batch.nodes.map((n) => ({ ...n, hash: bytes(n.hash) })) });
    await tx.checkpoint.createMany({ data: [...batch.checkpoints] });
  });
}
