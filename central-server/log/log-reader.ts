import {
  consistencyPlan,
  inclusionPlan,
  nodeMap,
  resolvePlan,
  type ProofPlan,
} from '../../transparency/index.ts';
import { ServerError } from '../errors.ts';
import type { CheckpointRow, LeafRow, ServerRepository } from '../storage/repository.ts';

/** At most this many leaves per `/api/v1/log/leaves` answer. */
export const MAX_LEAVES_PER_PAGE = 1000;

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

type LogStore = Pick<
  ServerRepository,
  'logNodes' | 'logLeaves' | 'checkpointAt' | 'latestCheckpoint'
>;

/**
 * The log as the public reads it (`/api/v1/log/…`, decisions/0093): the latest signed checkpoint,
 * inclusion and consistency proofs and the leaves, all from the database — never from process
 * memory — so every server on one PostgreSQL database answers the same. A proof is planned, its
 * O(log n) nodes fetched in one query, then folded (decisions/0090). Sizes beyond the last
 * checkpoint are refused: a client can only check a proof against a signed tree head.
 */
export class LogReader {
  constructor(private readonly store: LogStore) {}

  async checkpoint(): Promise<CheckpointRow> {
    const latest = await this.store.latestCheckpoint();
    if (latest === null) throw new ServerError('LOG_EMPTY');
    return latest;
  }

  /** Leaf `index` in the tree of `size` leaves (default: the latest checkpoint's). */
  async inclusion(index: number, size?: number) {
    const checkpoint = await this.signedSize(size);
    if (index >= checkpoint.size) {
      throw new ServerError('LOG_RANGE_INVALID', { index, size: checkpoint.size });
    }
    const [leaf] = await this.store.logLeaves(index, index + 1);
    if (leaf === undefined) throw new Error(`log leaf ${index} is missing`);
    return {
      index,
      size: checkpoint.size,
      leaf: leaf.leaf,
      sequence: leaf.sequence,
      proof: await this.prove(inclusionPlan(index, checkpoint.size)),
      checkpoint: checkpoint.note,
    };
  }

  /** The tree of `to` leaves extends the tree of `from` leaves (RFC 9162 §2.1.4). */
  async consistency(from: number, to?: number) {
    const checkpoint = await this.signedSize(to);
    if (from < 1 || from > checkpoint.size) {
      throw new ServerError('LOG_RANGE_INVALID', { from, to: checkpoint.size });
    }
    return {
      from,
      to: checkpoint.size,
      proof: await this.prove(consistencyPlan(from, checkpoint.size)),
      checkpoint: checkpoint.note,
    };
  }

  async leaves(start: number, end: number): Promise<LeafRow[]> {
    const latest = await this.checkpoint();
    if (end <= start || end - start > MAX_LEAVES_PER_PAGE || end > latest.size) {
      throw new ServerError('LOG_RANGE_INVALID', { start, end, size: latest.size });
    }
    return this.store.logLeaves(start, end);
  }

  /** The checkpoint of `size` leaves (the latest when not given); only signed sizes are served. */
  private async signedSize(size: number | undefined): Promise<CheckpointRow> {
    if (size === undefined) return this.checkpoint();
    const checkpoint = await this.store.checkpointAt(size);
    if (checkpoint === null) throw new ServerError('LOG_RANGE_INVALID', { size });
    return checkpoint;
  }

  private async prove(plan: ProofPlan): Promise<string[]> {
    const nodes = await this.store.logNodes(plan.nodes);
    return resolvePlan(plan, nodeMap(nodes)).map(b64);
  }
}
