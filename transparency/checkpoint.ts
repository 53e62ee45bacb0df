import type { KeyObject } from 'node:crypto';
import { TransparencyError } from './error.ts';
import { HASH_SIZE } from './hash.ts';
import { isValidKeyName, openNote, signNote, strictBase64, type NoteKey } from './note.ts';

/**
 * Checkpoints (c2sp.org/tlog-checkpoint): the signed head of the log. The note text is
 *
 *     <origin>\n<tree size>\n<base64 root hash>\n
 *
 * signed as a C2SP note whose key name is the origin. A log never signs two checkpoints that
 * are not consistent with each other; auditors hold it to that with consistency proofs.
 */
export type Checkpoint = {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
};

export function checkpointText(checkpoint: Checkpoint): string {
  if (!isValidKeyName(checkpoint.origin)) {
    throw new TransparencyError('CHECKPOINT_MALFORMED', 'origin');
  }
  if (!Number.isSafeInteger(checkpoint.size) || checkpoint.size < 0) {
    throw new TransparencyError('CHECKPOINT_MALFORMED', 'size');
  }
  if (checkpoint.root.length !== HASH_SIZE)
    throw new TransparencyError('CHECKPOINT_MALFORMED', 'root');
  const root = Buffer.from(checkpoint.root).toString('base64');
  return `${checkpoint.origin}\n${checkpoint.size}\n${root}\n`;
}

/** Parses the note text of a checkpoint. Extension lines are refused: we never write them. */
export function parseCheckpointText(text: string): Checkpoint {
  const lines = text.split('\n');
  if (lines.length !== 4 || lines[3] !== '') {
    throw new TransparencyError('CHECKPOINT_MALFORMED', 'expected origin, size and root');
  }
  const [origin, sizeText, rootText] = lines as [string, string, string];
  if (origin.length === 0) throw new TransparencyError('CHECKPOINT_MALFORMED', 'origin');
  if (!/^(0|[1-9][0-9]{0,15})$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    throw new TransparencyError('CHECKPOINT_MALFORMED', 'size');
  }
  const root = strictBase64(rootText, 'CHECKPOINT_MALFORMED');
  if (root.length !== HASH_SIZE) throw new TransparencyError('CHECKPOINT_MALFORMED', 'root');
  return { origin, size: Number(sizeText), root: new Uint8Array(root) };
}

/** The signed checkpoint note; the key name is the origin. */
export function signCheckpoint(checkpoint: Checkpoint, privateKey: KeyObject): string {
  return signNote(checkpointText(checkpoint), checkpoint.origin, privateKey);
}

/**
 * Verifies a signed checkpoint with the log's key and returns it. The origin must be the one
 * the verifier expects (the key's name), so a checkpoint of another log never passes.
 */
export function openCheckpoint(note: string | Uint8Array, key: NoteKey): Checkpoint {
  const { text } = openNote(note, [key]);
  const checkpoint = parseCheckpointText(text);
  if (checkpoint.origin !== key.name) {
    throw new TransparencyError('CHECKPOINT_WRONG_ORIGIN', checkpoint.origin);
  }
  return checkpoint;
}
