import { MAX_COUNT } from '../definition.ts';
import type { Counts } from '../schnellmeldung.ts';

/**
 * The counts of one Schnellmeldung as the rules see them: a value is usable only when it is
 * present and a whole number in range. Rules over unusable values are skipped, because the
 * value finding (F.101 missing, F.104 not a whole number) already explains them.
 */
export class CountView {
  readonly counts: Counts;
  readonly missing = new Set<string>();
  readonly bad = new Set<string>();

  constructor(counts: Counts, required: readonly string[]) {
    this.counts = counts;
    for (const key of required) if (!Object.hasOwn(counts, key)) this.missing.add(key);
    // keys, not entries: one array per report instead of a [key, value] pair per count
    for (const key of Object.keys(counts)) {
      if (!isCount(counts[key]!)) this.bad.add(key);
    }
  }

  /** The value, or undefined when missing or not a valid count. */
  get(key: string): number | undefined {
    if (this.bad.has(key) || !Object.hasOwn(this.counts, key)) return undefined;
    return this.counts[key];
  }

  /** All values, or undefined when any is unusable. */
  all(keys: readonly string[]): number[] | undefined {
    const values: number[] = [];
    for (const key of keys) {
      const value = this.get(key);
      if (value === undefined) return undefined;
      values.push(value);
    }
    return values;
  }
}

export function isCount(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= MAX_COUNT;
}

export function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

const de = new Intl.NumberFormat('de-DE');
const en = new Intl.NumberFormat('en-GB');

/** Figures in a detail message: "1.234" for German readers, "1,234" for English. */
export function figures(template: (n: (value: number) => string, lang: 'de' | 'en') => string): {
  de: string;
  en: string;
} {
  return { de: template((v) => de.format(v), 'de'), en: template((v) => en.format(v), 'en') };
}

/** A share as a percentage with one decimal: "4,1 %" for German readers, "4.1 %" for English. */
export function percent(share: number, lang: 'de' | 'en' = 'en'): string {
  const value = (Math.round(share * 1000) / 10).toString();
  return `${lang === 'de' ? value.replace('.', ',') : value} %`;
}
