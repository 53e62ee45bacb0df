/**
 * Per-report state of the verifier, kept compact (decisions/0099): what verify remembers about
 * report number `sequence` lives in typed arrays indexed by that number, and the names it
 * remembers (districts, contests) are interned once each — a national night of 90,000 reports
 * then costs a few bytes per report instead of a Map entry with its own strings.
 *
 * Sequence numbers come from the export and are hostile until checked: a dense array grows only
 * up to `denseLimit` (a few times the export's envelope count); a number beyond it goes to a
 * small Map, so a forged `sequence: 2000000000` costs one entry, not gigabytes.
 */

/** In a column of interned districts: the event names no district. */
export const NO_DISTRICT = -1;

/** Strings seen in the export, each stored once; 0 means "none". */
export class Interned {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [''];

  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
    }
    return id;
  }

  name(id: number): string | undefined {
    return id === 0 ? undefined : this.names[id];
  }
}

/** A growable Int32Array indexed by sequence number, with a Map for numbers beyond the limit. */
export class SequenceColumn {
  private dense: Int32Array;
  private readonly sparse = new Map<number, number>();
  /** the highest sequence number set, 0 when none */
  highest = 0;

  constructor(private readonly denseLimit: number) {
    this.dense = new Int32Array(Math.min(1024, denseLimit + 1));
  }

  /** 0 means unset; values are ids (> 0) or small codes. */
  get(sequence: number): number {
    if (sequence < this.dense.length) return this.dense[sequence] ?? 0;
    return sequence <= this.denseLimit ? 0 : (this.sparse.get(sequence) ?? 0);
  }

  set(sequence: number, value: number): void {
    this.highest = Math.max(this.highest, sequence);
    if (sequence > this.denseLimit) {
      if (value === 0) this.sparse.delete(sequence);
      else this.sparse.set(sequence, value);
      return;
    }
    if (sequence >= this.dense.length) {
      let length = this.dense.length;
      while (length <= sequence) length *= 2;
      const grown = new Int32Array(Math.min(length, this.denseLimit + 1));
      grown.set(this.dense);
      this.dense = grown;
    }
    this.dense[sequence] = value;
  }

  /** Every sequence number with a value, ascending (dense part first, then the sparse numbers). */
  *entries(): Generator<[number, number]> {
    for (let s = 1; s < this.dense.length; s++) {
      const v = this.dense[s]!;
      if (v !== 0) yield [s, v];
    }
    for (const s of [...this.sparse.keys()].sort((a, b) => a - b)) yield [s, this.sparse.get(s)!];
  }
}

/** SHA-256 hashes (32 bytes) indexed by sequence number, with a presence column. */
export class HashColumn {
  private dense: Uint8Array;
  private readonly sparse = new Map<number, Uint8Array>();

  constructor(private readonly denseLimit: number) {
    this.dense = new Uint8Array(32 * Math.min(1024, denseLimit + 1));
  }

  get(sequence: number): Uint8Array | undefined {
    if (sequence > this.denseLimit) return this.sparse.get(sequence);
    const at = sequence * 32;
    return at + 32 <= this.dense.length ? this.dense.subarray(at, at + 32) : undefined;
  }

  set(sequence: number, hash: Uint8Array): void {
    if (sequence > this.denseLimit) {
      this.sparse.set(sequence, Uint8Array.from(hash));
      return;
    }
    const at = sequence * 32;
    if (at + 32 > this.dense.length) {
      let slots = this.dense.length / 32;
      while (slots * 32 < at + 32) slots *= 2;
      const grown = new Uint8Array(32 * Math.min(slots, this.denseLimit + 1));
      grown.set(this.dense);
      this.dense = grown;
    }
    this.dense.set(hash, at);
  }
}

/** How far the dense arrays may grow for an export of `envelopes` lines. */
export function denseLimitFor(envelopes: number): number {
  return Math.max(4096, envelopes * 2 + 1024);
}
