import type { Counts } from '../../election/index.ts';

/**
 * One list of Kennbuchstaben in the order a report gave them, and a row per report: Uint16 where
 * every count of the report fits (a Stimmbezirk's always do), else Uint32.
 */
type Layout = {
  readonly keys: readonly string[];
  /** an object with these keys in this order: copying it gives every row's object one shape */
  readonly template: Counts;
  slab: Uint16Array | Uint32Array;
  rows: number;
};

const NONE = -1;
const IRREGULAR = -2;

/** A typed array of at least `length` elements with `array`'s contents. */
export function grown<T extends Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array>(
  array: T,
  length: number,
): T {
  if (length <= array.length) return array;
  const next = new (array.constructor as new (n: number) => T)(
    Math.max(length, array.length * 2, 64),
  );
  next.set(array);
  return next;
}

/**
 * The counts of the current report of each slot (a precinct and contest of the ledger), as
 * rows in one slab per list of Kennbuchstaben and width: a contest's form has one list per kind
 * of precinct, so the national night needs a few hundred. A report's parsed counts object is
 * ~1 KB; its row is 2 bytes per Kennbuchstabe (4 where a count is 65,536 or more: Uint32 rows
 * were 17 MB of the main thread's heap on the national night, decision 0067, heap12). `get`
 * gives back the same keys in the same order with the same values. Counts that are not whole numbers in 0 … 2³² − 1 (never in an accepted
 * report: rule F.104 refuses them; nor is a key `__proto__`) are kept as they were given.
 */
export class CountRows {
  private readonly layouts: Layout[] = [];
  private readonly layoutIds = new Map<string, number>();
  private layoutOf = new Int32Array(0);
  private rowOf = new Int32Array(0);
  private readonly irregular = new Map<number, Counts>();

  /** The counts of `slot` from now on (its previous counts are overwritten). */
  set(slot: number, counts: Counts): void {
    this.reserve(slot);
    const keys = Object.keys(counts);
    const fits = keys.every((k) => k !== '__proto__' && fitsUint32(counts[k]!));
    if (!fits) {
      this.layoutOf[slot] = IRREGULAR;
      this.irregular.set(slot, counts);
      return;
    }
    this.irregular.delete(slot);
    const id = this.layoutId(keys, keys.every((k) => counts[k]! <= 0xffff) ? 2 : 4);
    const layout = this.layouts[id]!;
    let row = this.rowOf[slot]!;
    if (this.layoutOf[slot] !== id) {
      row = layout.rows;
      layout.rows += 1;
      layout.slab = grown(layout.slab, layout.rows * keys.length);
      this.layoutOf[slot] = id;
      this.rowOf[slot] = row;
    }
    const base = row * keys.length;
    for (let i = 0; i < keys.length; i += 1) layout.slab[base + i] = counts[keys[i]!]!;
  }

  /** A fresh counts object of `slot` (keys in the order they were given), if it has counts. */
  get(slot: number): Counts | undefined {
    const id = slot < this.layoutOf.length ? this.layoutOf[slot]! : NONE;
    if (id === NONE) return undefined;
    if (id === IRREGULAR) return { ...this.irregular.get(slot) };
    const layout = this.layouts[id]!;
    const { keys, slab } = layout;
    const base = this.rowOf[slot]! * keys.length;
    const counts: Counts = { ...layout.template };
    for (let i = 0; i < keys.length; i += 1) counts[keys[i]!] = slab[base + i]!;
    return counts;
  }

  private reserve(slot: number): void {
    if (slot < this.layoutOf.length) return;
    const from = this.layoutOf.length;
    this.layoutOf = grown(this.layoutOf, slot + 1);
    this.layoutOf.fill(NONE, from);
    this.rowOf = grown(this.rowOf, this.layoutOf.length);
  }

  private layoutId(keys: readonly string[], bytes: 2 | 4): number {
    const name = `${bytes}\u0000${keys.join('\u0000')}`;
    let id = this.layoutIds.get(name);
    if (id === undefined) {
      id = this.layouts.length;
      const template = Object.fromEntries(keys.map((k) => [k, 0]));
      const slab =
        bytes === 2 ? new Uint16Array(8 * keys.length) : new Uint32Array(8 * keys.length);
      this.layouts.push({ keys, template, slab, rows: 0 });
      this.layoutIds.set(name, id);
    }
    return id;
  }
}

/** -0 would come back as 0, so it is not a Uint32 either. */
const fitsUint32 = (v: number) =>
  Number.isInteger(v) && v >= 0 && v <= 0xffff_ffff && !Object.is(v, -0);
