import { ballotSections, REGISTER_KEYS } from '../contest-kinds.ts';
import type { Contest, Precinct } from '../definition.ts';
import { countField, type Finding } from './finding.ts';
import { figures, sum, type CountView } from './count-view.ts';
import { finding } from './rules-table.ts';

const registerKeys: ReadonlySet<string> = new Set(REGISTER_KEYS);

/** F.101–F.104: every required Kennbuchstabe present, none extra, all whole numbers. */
export function checkValues(
  view: CountView,
  required: readonly string[],
  precinct: Precinct,
): Finding[] {
  const findings: Finding[] = [];
  if (view.missing.size > 0) findings.push(finding('F.101', [...view.missing].map(countField)));
  const expected = new Set(required);
  const present = Object.keys(view.counts);
  const registerOnBrief = present.filter((k) => precinct.kind === 'BRIEF' && registerKeys.has(k));
  const extra = present.filter((k) => !expected.has(k) && !registerOnBrief.includes(k));
  if (extra.length > 0) findings.push(finding('F.102', extra.map(countField)));
  if (registerOnBrief.length > 0) findings.push(finding('F.103', registerOnBrief.map(countField)));
  if (view.bad.size > 0) findings.push(finding('F.104', [...view.bad].map(countField)));
  return findings;
}

/** F.201–F.203 and, per ballot section, B = invalid + valid and valid = Σ choices. */
export function checkArithmetic(view: CountView, precinct: Precinct, contest: Contest): Finding[] {
  const findings: Finding[] = [];
  if (precinct.kind === 'URNE') {
    const a = view.all(['A', 'A1', 'A2', 'A3']);
    if (a !== undefined) {
      const [total = 0, a1 = 0, a2 = 0, a3 = 0] = a;
      if (total !== a1 + a2 + a3) {
        findings.push(
          finding(
            'F.201',
            ['A', 'A1', 'A2', 'A3'].map(countField),
            figures((n) => `A = ${n(total)}, A1 + A2 + A3 = ${n(a1 + a2 + a3)}`),
          ),
        );
      }
    }
  }
  const b = view.get('B');
  const b1 = view.get('B1');
  if (b !== undefined && b1 !== undefined) {
    if (precinct.kind === 'BRIEF' && b1 !== b) {
      findings.push(
        finding(
          'F.203',
          ['B', 'B1'].map(countField),
          figures((n) => `B = ${n(b)}, B1 = ${n(b1)}`),
        ),
      );
    } else if (b1 > b) {
      findings.push(
        finding(
          'F.202',
          ['B', 'B1'].map(countField),
          figures((n) => `B = ${n(b)}, B1 = ${n(b1)}`),
        ),
      );
    }
  }
  for (const section of ballotSections(contest)) {
    const invalid = view.get(section.invalid);
    const valid = view.get(section.valid);
    if (b !== undefined && invalid !== undefined && valid !== undefined && b !== invalid + valid) {
      findings.push(
        finding(
          section.codes.balance,
          ['B', section.invalid, section.valid].map(countField),
          figures(
            (n) => `B = ${n(b)}, ${section.invalid} + ${section.valid} = ${n(invalid + valid)}`,
          ),
        ),
      );
    }
    const keys = section.choices.map((c) => c.key);
    const parts = view.all(keys);
    if (valid !== undefined && parts !== undefined && valid !== sum(parts)) {
      const total = sum(parts);
      findings.push(
        finding(
          section.codes.sum,
          [section.valid, ...keys].map(countField),
          figures(
            (n, lang) =>
              `${section.valid} = ${n(valid)}, ${lang === 'de' ? 'Summe' : 'sum'} = ${n(total)}`,
          ),
        ),
      );
    }
  }
  return findings;
}
