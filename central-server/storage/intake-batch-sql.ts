import type {
  AuditRow,
  CheckpointRow,
  EnvelopeRow,
  IntakeBatch,
  LeafRow,
  NodeRow,
  ReceiptRow,
  ReportRow,
} from './repository.ts';
import { insertRows, type SqlExecutor } from './sql-client.ts';

const ENVELOPE_COLUMNS = [
  'id',
  'receivedAt',
  'requestId',
  'precinctId',
  'contestId',
  'revision',
  'sha256',
  'body',
  'verdict',
  'code',
  'detail',
] as const satisfies readonly (keyof EnvelopeRow)[];
const REPORT_COLUMNS = [
  'sequence',
  'envelopeId',
  'electionId',
  'precinctId',
  'contestId',
  'revision',
  'correctionReason',
  'envelopeHash',
  'contentHash',
  'signedBytes',
  'signedData',
  'counts',
  'certSerial',
  'certFingerprint',
  'signingTime',
  'acceptedAt',
  'acknowledgements',
  'source',
] as const satisfies readonly (keyof ReportRow)[];
const RECEIPT_COLUMNS = [
  'sequence',
  'issuedAt',
  'receipt',
  'receiptCode',
] as const satisfies readonly (keyof ReceiptRow)[];
const CURRENT_COLUMNS = ['precinctId', 'contestId', 'sequence', 'revision'] as const;
const AUDIT_COLUMNS = [
  'id',
  'at',
  'kind',
  'precinctId',
  'requestId',
  'event',
  'prevHash',
  'hash',
] as const satisfies readonly (keyof AuditRow)[];
const LEAF_COLUMNS = ['index', 'sequence', 'leaf'] as const satisfies readonly (keyof LeafRow)[];
const NODE_COLUMNS = ['level', 'index', 'hash'] as const satisfies readonly (keyof NodeRow)[];
const CHECKPOINT_COLUMNS = [
  'size',
  'root',
  'note',
  'createdAt',
] as const satisfies readonly (keyof CheckpointRow)[];

/**
 * The intake batch as multi-row INSERTs (`insertRows`), inside the caller's transaction: the
 * portable write of an `IntakeBatch`, used on PostgreSQL (`PostgresIntakeStore`). A new per-report
 * table of the batch gets its INSERT here (and a prepared statement in SqliteIntakeStore).
 */
export async function writeIntakeBatch(tx: SqlExecutor, batch: IntakeBatch): Promise<void> {
  await insertRows(tx, 'ReceivedEnvelope', ENVELOPE_COLUMNS, batch.envelopes);
  await insertRows(tx, 'Report', REPORT_COLUMNS, batch.reports);
  await insertRows(tx, 'Receipt', RECEIPT_COLUMNS, batch.receipts);
  // the pointer to the current revision is the one row that changes: an upsert
  await insertRows(tx, 'CurrentReport', CURRENT_COLUMNS, batch.current, {
    conflict: ['precinctId', 'contestId'],
    update: ['sequence', 'revision'],
  });
  await insertRows(tx, 'AuditEvent', AUDIT_COLUMNS, batch.audit);
  await insertRows(tx, 'LogLeaf', LEAF_COLUMNS, batch.leaves);
  await insertRows(tx, 'LogNode', NODE_COLUMNS, batch.nodes);
  await insertRows(tx, 'Checkpoint', CHECKPOINT_COLUMNS, batch.checkpoints);
}

/** One audit row, inside the caller's transaction (or alone). */
export function insertAudit(tx: SqlExecutor, audit: AuditRow): Promise<void> {
  return insertRows(tx, 'AuditEvent', AUDIT_COLUMNS, [audit]);
}
