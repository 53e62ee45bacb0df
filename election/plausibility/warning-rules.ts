import { ballotSections } from '../contest-kinds.ts';
import type { Contest, Precinct } from '../definition.ts';
import type { ResolvedPlausibilityConfig } from './config.ts';
import { figures, percent, type CountView } from './count-view.ts';
import { countField, type Finding } from './finding.ts';
import { finding } from './rules-table.ts';

/** W.201–W.206: figures that are possible but unusual enough to need a written reason. */
export function checkFigures(
  view: CountView,
  precinct: Precinct,
  contest: Contest,
  config: ResolvedPlausibilityConfig,
): Finding[] {
  const findings: Finding[] = [];
  const b = view.get('B');
  if (b === 0) findings.push(finding('W.205', [countField('B')]));
  if (precinct.kind === 'URNE') findings.push(...checkUrne(view, precinct, config));
  if (b !== undefined && b > 0) {
    for (const section of ballotSections(contest)) {
      const invalid = view.get(section.invalid);
      if (invalid !== undefined && invalid / b >= config.invalidShareMax) {
        findings.push(
          finding(
            'W.203',
            [section.invalid, 'B'].map(countField),
            figures(
              (n, lang) =>
                `${section.invalid} = ${n(invalid)} (${percent(invalid / b, lang)} ${lang === 'de' ? 'von' : 'of'} B = ${n(b)}), ≥ ${percent(config.invalidShareMax, lang)}`,
            ),
          ),
        );
      }
    }
  }
  return findings;
}

function checkUrne(
  view: CountView,
  precinct: Precinct,
  config: ResolvedPlausibilityConfig,
): Finding[] {
  const findings: Finding[] = [];
  const [a, a1, b, b1] = view.all(['A', 'A1', 'B', 'B1']) ?? [];
  if (a !== undefined && a1 !== undefined && b !== undefined && b1 !== undefined) {
    // Turnout at the urn, SPEC §4: B / (A + B1). Wahlschein holders (B1) may vote here without
    // being on this register, so they are added to the denominator.
    const eligible = a + b1;
    if (b > eligible) {
      findings.push(
        finding(
          'W.201',
          ['B', 'B1', 'A'].map(countField),
          figures((n) => `B = ${n(b)}, A + B1 = ${n(eligible)}`),
        ),
      );
    } else if (eligible > 0) {
      const turnout = b / eligible;
      if (turnout < config.turnoutMin || turnout > config.turnoutMax) {
        findings.push(
          finding(
            'W.202',
            ['B', 'A'].map(countField),
            figures(
              (_n, lang) =>
                `${percent(turnout, lang)} (${percent(config.turnoutMin, lang)} – ${percent(config.turnoutMax, lang)})`,
            ),
          ),
        );
      }
    }
    if (b - b1 > a1) {
      findings.push(
        finding(
          'W.204',
          ['B', 'B1', 'A1'].map(countField),
          figures((n) => `B − B1 = ${n(b - b1)}, A1 = ${n(a1)}`),
        ),
      );
    }
  }
  const register = precinct.register;
  if (register !== undefined) {
    const differing = (['A1', 'A2', 'A3'] as const).filter((key) => {
      const value = view.get(key);
      return value !== undefined && value !== register[key];
    });
    if (differing.length > 0) {
      findings.push(
        finding(
          'W.206',
          differing.map(countField),
          figures((n, lang) =>
            differing
              .map(
                (k) =>
                  `${k} = ${n(view.get(k) ?? 0)} (${lang === 'de' ? 'Verzeichnis' : 'register'} ${n(register[k])})`,
              )
              .join(', '),
          ),
        ),
      );
    }
  }
  return findings;
}
