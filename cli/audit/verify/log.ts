import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  EMPTY_FRONTIER,
  EMPTY_ROOT,
  TransparencyError,
  appendLeaves,
  equalBytes,
  frontierRoot,
  leafHash,
  openCheckpoint,
  reportLeaf,
  type Checkpoint,
  type Frontier,
} from '../../../transparency/index.ts';
import {
  CheckpointLineSchema,
  EXPORT_PATHS,
  LeafLineSchema,
  type AcceptedEntry,
} from '../format.ts';
import type { Finding } from '../findings.ts';
import type { AuditContext } from './load.ts';
import { readLines } from './lines.ts';
import { HashColumn, SequenceColumn, type Interned } from './sequences.ts';

/**
 * The leaf record of an accepted report, rebuilt from the exported report alone: the one
 * definition in transparency/leaf.ts (decisions/0091). A kit's report names its SignedData
 * hash; a phoned-in one (no station signature) has `source: "telefonisch"` and none.
 */
export function expectedLeaf(
  electionId: string,
  a: Pick<
    AcceptedEntry,
    'contestId' | 'precinctId' | 'revision' | 'sequence' | 'acceptedAt' | 'contentHash'
  >,
  signedDataHash: string | undefined,
): string {
  const common = {
    electionId,
    precinctId: a.precinctId,
    contestId: a.contestId,
    revision: a.revision,
    sequence: a.sequence,
    serverTime: a.acceptedAt,
    tallyHash: a.contentHash,
  };
  return signedDataHash === undefined
    ? reportLeaf({ ...common, source: 'telefonisch' })
    : reportLeaf({ ...common, source: 'kit', signedDataHash });
}

const LeafView = z.object({
  precinctId: z.string().optional(),
  contestId: z.string().optional(),
  revision: z.number().optional(),
});

/**
 * The transparency log, recomputed: every accepted report must be a leaf (its record rebuilt
 * from the report itself), every leaf a report, and every signed checkpoint the root of the
 * recomputed tree at its size — which also proves every two checkpoints consistent, as they are
 * roots of one append-only tree. Leaves stream; only one 32-byte hash per tree level is kept.
 */
export class LogCheck {
  /** per expected report: its district (interned; 0 once its leaf was read), contest, leaf hash */
  private readonly precinct: SequenceColumn;
  private readonly contest: SequenceColumn;
  private readonly leafSha: HashColumn;

  constructor(
    private readonly names: Interned,
    denseLimit: number,
  ) {
    this.precinct = new SequenceColumn(denseLimit);
    this.contest = new SequenceColumn(denseLimit);
    this.leafSha = new HashColumn(denseLimit);
  }

  /** Called for every accepted report while the envelopes stream. */
  expect(sequence: number, leafText: string, where: { precinctId: string; contestId: string }) {
    this.leafSha.set(sequence, createHash('sha256').update(leafText).digest());
    this.precinct.set(sequence, this.names.id(where.precinctId));
    this.contest.set(sequence, this.names.id(where.contestId));
  }

  async run(
    ctx: AuditContext,
    findings: Finding[],
    onLeaf: (n: number) => void,
  ): Promise<{ leaves: number; checkpoints: number } | undefined> {
    if (ctx.manifest.counts.leaves === null) return undefined;
    const checkpoints = await this.readCheckpoints(ctx, findings);
    const pending = [...checkpoints].sort((a, b) => a.size - b.size);
    let frontier: Frontier = EMPTY_FRONTIER;
    const atSize = (size: number, root: Uint8Array) => {
      while (pending.length > 0 && pending[0]!.size === size) {
        const c = pending.shift()!;
        if (!equalBytes(c.root, root)) {
          findings.push({
            code: 'CHECKPOINT_ROOT_MISMATCH',
            file: EXPORT_PATHS.checkpoints,
            detail: `checkpoint of size ${size}: signed root ${b64(c.root)}, recomputed ${b64(root)}`,
          });
        }
      }
    };
    atSize(0, EMPTY_ROOT);
    let n = 0;
    const found = await readLines(ctx.dir, EXPORT_PATHS.leaves, async (line, lineNo) => {
      const leaf = LeafLineSchema.safeParse(safeJson(line));
      if (!leaf.success || leaf.data.index !== n) {
        findings.push({
          code: 'LOG_LEAF_MISMATCH',
          file: `${EXPORT_PATHS.leaves}:${lineNo}`,
          detail: leaf.success
            ? `index ${leaf.data.index} where ${n} belongs`
            : 'unreadable leaf line',
        });
        if (!leaf.success) return;
      }
      const { sequence, leaf: text } = leaf.data;
      this.compare(sequence, text, findings);
      frontier = appendLeaves(frontier, [leafHash(new TextEncoder().encode(text))]).frontier;
      n += 1;
      if (pending[0]?.size === n) atSize(n, frontierRoot(frontier));
      if (n % 2000 === 0) onLeaf(n);
    });
    if (!found) {
      findings.push({
        code: 'LOG_MISSING',
        file: EXPORT_PATHS.leaves,
        detail: 'log/leaves.jsonl missing',
      });
    }
    for (const c of pending) {
      findings.push({
        code: 'CHECKPOINT_BEYOND_LOG',
        file: EXPORT_PATHS.checkpoints,
        detail: `checkpoint of size ${c.size}, the log has ${n} leaves`,
      });
    }
    for (const [sequence, precinct] of this.precinct.entries()) {
      findings.push({
        code: 'REPORT_NOT_IN_LOG',
        precinctId: this.names.name(precinct)!,
        contestId: this.names.name(this.contest.get(sequence))!,
        sequence,
        detail: `report ${sequence} has no leaf`,
      });
    }
    return { leaves: n, checkpoints: checkpoints.length };
  }

  private compare(sequence: number, text: string, findings: Finding[]): void {
    const precinct = this.precinct.get(sequence);
    if (precinct === 0) {
      const view = LeafView.safeParse(safeJson(text));
      const precinctId = view.success ? view.data.precinctId : undefined;
      const contestId = view.success ? view.data.contestId : undefined;
      findings.push({
        code: 'REPORT_MISSING',
        ...(precinctId === undefined ? {} : { precinctId }),
        ...(contestId === undefined ? {} : { contestId }),
        sequence,
        file: EXPORT_PATHS.leaves,
        detail: `the log holds report ${sequence}; the export has no accepted report with that number`,
      });
      return;
    }
    this.precinct.set(sequence, 0);
    const expected = this.leafSha.get(sequence)!;
    if (!equalBytes(createHash('sha256').update(text).digest(), expected)) {
      findings.push({
        code: 'LOG_LEAF_MISMATCH',
        precinctId: this.names.name(precinct)!,
        contestId: this.names.name(this.contest.get(sequence))!,
        sequence,
        file: EXPORT_PATHS.leaves,
        detail: `the leaf of report ${sequence} does not describe the exported report`,
      });
    }
  }

  /** Every checkpoint's signature, and that sizes never go back in the order they were made. */
  private async readCheckpoints(ctx: AuditContext, findings: Finding[]): Promise<Checkpoint[]> {
    const valid: Checkpoint[] = [];
    let largest = -1;
    const found = await readLines(ctx.dir, EXPORT_PATHS.checkpoints, async (line, lineNo) => {
      const file = `${EXPORT_PATHS.checkpoints}:${lineNo}`;
      const parsed = CheckpointLineSchema.safeParse(safeJson(line));
      if (!parsed.success || ctx.checkpointKey === undefined) {
        findings.push({
          code: 'CHECKPOINT_SIGNATURE_INVALID',
          file,
          detail: parsed.success ? 'no checkpoint key in the export' : 'unreadable checkpoint line',
        });
        return;
      }
      let checkpoint: Checkpoint;
      try {
        checkpoint = openCheckpoint(parsed.data.note, ctx.checkpointKey);
      } catch (error) {
        if (!(error instanceof TransparencyError)) throw error;
        findings.push({ code: 'CHECKPOINT_SIGNATURE_INVALID', file, detail: error.code });
        return;
      }
      if (checkpoint.size < largest) {
        findings.push({
          code: 'CHECKPOINT_ROLLBACK',
          file,
          detail: `checkpoint of size ${checkpoint.size} made after one of size ${largest}`,
        });
      }
      largest = Math.max(largest, checkpoint.size);
      valid.push(checkpoint);
    });
    if (!found) {
      findings.push({
        code: 'LOG_MISSING',
        file: EXPORT_PATHS.checkpoints,
        detail: 'log/checkpoints.jsonl missing',
      });
    }
    return valid;
  }
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
