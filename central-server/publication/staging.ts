import { createHash, type Hash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, unlinkSync, writeSync } from 'node:fs';
import { contentTypeOf, file, type SnapshotFile } from './snapshot.ts';

/**
 * A large file of a snapshot, written to the staging folder as it was rendered: the snapshot
 * directory takes it by rename(2) when the snapshot goes out (snapshot-files.ts).
 */
export type StagedFile = {
  readonly path: string;
  readonly contentType: string;
  /** where it waits, in the staging folder */
  readonly staged: string;
  readonly size: number;
  readonly sha256: string;
};

/**
 * How much of a file is held in memory while it is written: a file up to this size is kept as
 * bytes (as every file was), a larger one goes to its staged file a chunk at a time.
 */
export const DEFAULT_CHUNK_BYTES = 64 * 1024;

/** a UTF-16 code unit is at most 3 bytes of UTF-8 */
const MAX_UTF8_PER_UNIT = 3;

/**
 * Writes files given as their text in parts through one chunk of memory, reused for every file:
 * at national size a contest's EML was ~1.5 MB, built as one string and then as one buffer, a few
 * of them per build, and their garbage (native memory, outside V8's heap) was what the
 * publication thread's resident size grew by after the night's last report (decision 0067,
 * follow-up s11). The SHA-256 is taken as the chunks go out, so the file is never whole in memory.
 * Synchronous, as the snapshot directory's writes are: the thread has nothing else to do meanwhile.
 */
export class StagingArea {
  private readonly chunk: Buffer;
  private made = false;
  private next = 0;

  constructor(
    private readonly dir: string,
    chunkBytes: number = DEFAULT_CHUNK_BYTES,
  ) {
    this.chunk = Buffer.allocUnsafeSlow(chunkBytes);
  }

  /** `path`'s content, the parts joined: bytes if they fit one chunk, else a staged file. */
  write(path: string, parts: Iterable<string>): SnapshotFile | StagedFile {
    const chunk = this.chunk;
    let used = 0;
    let out: { fd: number; staged: string; hash: Hash; size: number } | undefined;
    const emit = (bytes: Buffer) => {
      out ??= this.open();
      out.hash.update(bytes);
      for (let at = 0; at < bytes.length;) at += writeSync(out.fd, bytes, at);
      out.size += bytes.length;
    };
    try {
      for (const part of parts) {
        const room = chunk.length - used;
        // the exact length only when the part might not fit (it costs a pass over the part)
        const length =
          part.length * MAX_UTF8_PER_UNIT <= room ? 0 : Buffer.byteLength(part, 'utf8');
        if (length > room) {
          if (used > 0) emit(chunk.subarray(0, used));
          used = 0;
          if (length > chunk.length) {
            emit(Buffer.from(part, 'utf8'));
            continue;
          }
        }
        used += chunk.write(part, used, 'utf8');
      }
      if (out === undefined) return file(path, Buffer.from(chunk.subarray(0, used)));
      if (used > 0) emit(chunk.subarray(0, used));
    } catch (error) {
      if (out !== undefined) {
        closeSync(out.fd);
        unlinkSync(out.staged);
      }
      throw error;
    }
    closeSync(out.fd);
    return {
      path,
      contentType: contentTypeOf(path),
      staged: out.staged,
      size: out.size,
      sha256: out.hash.digest('hex'),
    };
  }

  /** Removes whatever is still staged (after a snapshot went out, or failed to). */
  clear(): void {
    if (!this.made) return;
    for (const name of readdirSync(this.dir)) unlinkSync(`${this.dir}/${name}`);
  }

  private open() {
    if (!this.made) {
      mkdirSync(this.dir, { recursive: true });
      this.made = true;
    }
    const staged = `${this.dir}/${this.next++}`;
    return { fd: openSync(staged, 'wx'), staged, hash: createHash('sha256'), size: 0 };
  }
}

export const isStaged = (f: SnapshotFile | StagedFile): f is StagedFile => 'staged' in f;
