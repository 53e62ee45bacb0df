import type { SchnellmeldungDraft } from '../schnellmeldung.ts';
import { REGISTER_KEYS } from '../contest-kinds.ts';
import type { ResolvedPlausibilityConfig } from './config.ts';
import { figures, isCount, percent } from './count-view.ts';
import { countField, type Finding } from './finding.ts';
import { finding } from './rules-table.ts';

const registerKeys: ReadonlySet<string> = new Set(REGISTER_KEYS);

/**
 * The key under which two reports count as "identical results" (Berlin 2021: 22 precincts
 * reported the same estimated 360 valid / 40 invalid). It covers the contest and every count
 * except the register figures (A…), which differ between precincts anyway. A server keeps
 * `Map<resultKey, precinctIds>` and answers `identicalTo` in O(1) for 90,000 precincts.
 * Reports without voters have no key: W.205 covers them.
 */
export function resultKey(
  t: Pick<SchnellmeldungDraft, 'contestId' | 'counts'>,
): string | undefined {
  if (!((t.counts.B ?? 0) > 0)) return undefined;
  let key = `${t.contestId}|`;
  for (const k of Object.keys(t.counts).sort()) {
    if (!registerKeys.has(k)) key += `${k}=${String(t.counts[k])};`;
  }
  return key;
}

/** W.301: another precinct reported exactly the same result for this contest. */
export function checkIdentical(
  t: SchnellmeldungDraft,
  identicalTo: ((key: string) => readonly string[]) | undefined,
): Finding[] {
  if (identicalTo === undefined) return [];
  const key = resultKey(t);
  if (key === undefined) return [];
  const others = identicalTo(key).filter((id) => id !== t.precinctId);
  if (others.length === 0) return [];
  const shown = others.slice(0, 5).join(', ') + (others.length > 5 ? ', …' : '');
  return [
    finding(
      'W.301',
      Object.keys(t.counts)
        .filter((k) => !registerKeys.has(k))
        .map(countField),
      { de: `gleich wie: ${shown}`, en: `identical to: ${shown}` },
    ),
  ];
}

/**
 * W.302: a correction that moves any count by more than `largeChangeShare` of the voters
 * (the larger B of both revisions). Small corrections are normal (a recounted stack);
 * large ones are where typos into the wrong field or a swapped precinct show up.
 */
export function checkLargeChange(
  t: SchnellmeldungDraft,
  previous: Pick<SchnellmeldungDraft, 'revision' | 'counts'> | undefined,
  config: ResolvedPlausibilityConfig,
): Finding[] {
  if (previous === undefined || previous.revision >= t.revision) return [];
  const base = Math.max(t.counts.B ?? 0, previous.counts.B ?? 0);
  const limit = config.largeChangeShare * base;
  const changed = Object.keys(t.counts).filter((key) => {
    const now = t.counts[key];
    const before = previous.counts[key];
    if (now === undefined || before === undefined || !isCount(now) || !isCount(before)) {
      return false;
    }
    return Math.abs(now - before) > limit;
  });
  if (changed.length === 0) return [];
  return [
    finding(
      'W.302',
      changed.map(countField),
      figures(
        (n, lang) =>
          changed
            .map((k) => `${k}: ${n(previous.counts[k] ?? 0)} → ${n(t.counts[k] ?? 0)}`)
            .join(', ') +
          ` (${lang === 'de' ? 'Grenze' : 'limit'} ${percent(config.largeChangeShare, lang)} ${lang === 'de' ? 'von' : 'of'} B)`,
      ),
    ),
  ];
}
