/**
 * Who may still read a superseded snapshot directory, and so when it may become a later
 * snapshot's `.tmp` (snapshot-dir.ts). Pure: times are passed in, snapshots named by number.
 *
 * Three kinds of reader (decision 0080, follow-up s7):
 * - **nginx** (and anything else that opens `<P>/x`): resolves the link inside one open(2) and
 *   then holds the file, whatever happens to its name; a short fixed grace (`graceMs`) covers it.
 * - **the server's own threads** (main thread, public listener): they serve files not held in
 *   memory from their table's directory and get each new table by a message after the switch.
 *   Each reports the oldest snapshot it may still read (its table's, or an older one while a
 *   request's file is not yet open); a directory is held while any reader may read it. A reader
 *   that has not reported yet may read anything.
 * - **mirrors** copy a whole snapshot for seconds (`rsync`): they copy `<P>.mirror`, a second link
 *   that moves on at most every `mirrorMs` and whose snapshot stays `mirrorMs` after it has moved.
 *
 * A directory held longer than `maxHoldMs` after it was superseded is released all the same (a
 * reader that has not moved on for that long is stuck; the disk must not fill up meanwhile) and
 * reported as `overdue`.
 */
export type HoldOptions = {
  readonly graceMs: number;
  readonly readers: readonly string[];
  readonly mirrorMs: number;
  readonly maxHoldMs: number;
};

type Retired<T> = { readonly item: T; readonly number: number; readonly at: number };

export class SnapshotHolds<T> {
  private retired: Retired<T>[] = [];
  /** per reader, the oldest snapshot it may still read (0 = any: it has not reported yet) */
  private readonly oldest = new Map<string, number>();
  /** the snapshot `<P>.mirror` names, and since when */
  private mirror: { readonly number: number; readonly since: number } | undefined;
  /** the snapshot `<P>` names */
  private newest: number | undefined;
  /** snapshots the mirror link has left, held until the time given */
  private readonly mirrorLeft = new Map<number, number>();

  constructor(private readonly o: HoldOptions) {
    for (const reader of o.readers) this.oldest.set(reader, 0);
  }

  /** A reader now reads only snapshots numbered `number` or later. */
  reading(reader: string, number: number): void {
    if (this.oldest.has(reader)) this.oldest.set(reader, number);
  }

  /** A reader that is gone (its thread ended) holds nothing. */
  forget(reader: string): void {
    this.oldest.delete(reader);
  }

  /**
   * Snapshot `number` is out at `now`: whether `<P>.mirror` is to name it (the first one, or
   * `mirrorMs` after the mirror link last moved).
   */
  published(number: number, now: number): boolean {
    this.newest = number;
    return this.moveMirror(now) !== undefined;
  }

  /**
   * In how many ms `<P>.mirror` may move on to the newest snapshot (undefined: it names it), so
   * that the last snapshot of a burst reaches mirrors without waiting for another build.
   */
  mirrorDueIn(now: number): number | undefined {
    if (this.newest === undefined || this.mirror?.number === this.newest) return undefined;
    if (this.mirror === undefined) return 0;
    return Math.max(0, this.mirror.since + this.o.mirrorMs - now);
  }

  /** Moves `<P>.mirror` to the newest snapshot if it is due; returns that snapshot's number. */
  moveMirror(now: number): number | undefined {
    if (this.mirrorDueIn(now) !== 0 || this.newest === undefined) return undefined;
    if (this.mirror !== undefined) this.mirrorLeft.set(this.mirror.number, now + this.o.mirrorMs);
    this.mirror = { number: this.newest, since: now };
    return this.newest;
  }

  /** Snapshot `number` (`item`) was superseded at `now`. */
  retire(item: T, number: number, now: number): void {
    this.retired.push({ item, number, at: now });
  }

  /**
   * The superseded snapshots nobody may read any more at `now`, oldest first, taken out of the
   * waiting list; `overdue` those released only because they waited `maxHoldMs`.
   */
  release(now: number): { readonly free: T[]; readonly overdue: T[] } {
    const free: T[] = [];
    const overdue: T[] = [];
    const waiting: Retired<T>[] = [];
    for (const r of this.retired) {
      if (now - r.at >= this.o.maxHoldMs) overdue.push(r.item);
      else if (this.unread(r, now)) free.push(r.item);
      else waiting.push(r);
    }
    for (const [number, until] of this.mirrorLeft) {
      if (now >= until) this.mirrorLeft.delete(number);
    }
    this.retired = waiting;
    return { free, overdue };
  }

  /** How many superseded snapshots wait. */
  get waiting(): number {
    return this.retired.length;
  }

  private unread(r: Retired<T>, now: number): boolean {
    if (now - r.at < this.o.graceMs) return false;
    if (r.number === this.mirror?.number) return false;
    if (now < (this.mirrorLeft.get(r.number) ?? now)) return false;
    for (const oldest of this.oldest.values()) if (oldest <= r.number) return false;
    return true;
  }
}
