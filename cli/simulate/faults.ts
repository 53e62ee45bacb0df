import { z } from 'zod';
import { SimulationError } from './error.ts';

/**
 * The faults a simulated election night injects, and what the server must answer to each.
 *
 * - `retry`: the connection drops after the request was sent; the kit re-sends the SAME envelope
 *   and must get the same receipt (idempotent intake), then a third send proves the repeat.
 * - `correction`: the kit first sends a revision 1 with a transposition error (votes moved between
 *   two candidates, still rule-clean), then revision 2 with the truth and a reason; both are
 *   accepted and the correction supersedes (the published totals equal the truth).
 * - `tampered`: one character of the encrypted envelope is changed in transit.
 * - `revoked`: a kit whose certificate the office revoked (a stolen kit) tries to report.
 * - `foreign`: a rogue kit signs a tally for another precinct (its certificate binds it to its
 *   own): the envelope's signer and the tally disagree (pki's verification pipeline refuses).
 * - `crossed`: another station's genuinely sealed report is sent over this station's session
 *   (a report relayed through the wrong kit): signer and session disagree (the server refuses).
 */
export const FAULT_KINDS = [
  'retry',
  'correction',
  'tampered',
  'revoked',
  'foreign',
  'crossed',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What the server must answer. Accepted faults are counted as genuine reports too. */
export type ExpectedOutcome =
  { readonly kind: 'ACCEPTED' } | { readonly kind: 'REFUSED'; readonly code: string };

/**
 * The refusal code each refused fault must get. These are the pki verification codes and the
 * server's intake codes (docs/protocol.md, docs/api.md); a different code is an unexpected outcome.
 */
export const EXPECTED_OUTCOMES: Record<FaultKind, ExpectedOutcome> = {
  retry: { kind: 'ACCEPTED' },
  correction: { kind: 'ACCEPTED' },
  tampered: { kind: 'REFUSED', code: 'DECRYPTION_FAILED' },
  revoked: { kind: 'REFUSED', code: 'CERT_REVOKED' },
  foreign: { kind: 'REFUSED', code: 'CERT_WRONG_PRECINCT' },
  crossed: { kind: 'REFUSED', code: 'PRECINCT_MISMATCH' },
};

export type FaultCounts = Readonly<Record<FaultKind, number>>;

export const NO_FAULTS: FaultCounts = {
  retry: 0,
  correction: 0,
  tampered: 0,
  revoked: 0,
  foreign: 0,
  crossed: 0,
};

/** The demo's mix: a few of each, small against 1,274 districts, so every one is easy to find in the summary. */
export const DEFAULT_FAULTS: FaultCounts = {
  retry: 5,
  correction: 2,
  tampered: 2,
  revoked: 1,
  foreign: 2,
  crossed: 1,
};

const CountSchema = z.coerce.number().int().min(0).max(10_000);
const PairSchema = z.tuple([z.enum(FAULT_KINDS), CountSchema]);

/**
 * Parses `--faults`: `default`, `none`, or comma-separated `kind=count` pairs
 * (`retry=5,tampered=2`); kinds not named get 0. A bare kind means 1.
 */
export function parseFaultSpec(spec: string): FaultCounts {
  const text = spec.trim();
  if (text === '' || text === 'none') return NO_FAULTS;
  if (text === 'default') return DEFAULT_FAULTS;
  const counts: Record<FaultKind, number> = { ...NO_FAULTS };
  for (const part of text.split(',')) {
    const [kind, count = '1', ...rest] = part.trim().split('=');
    const parsed = PairSchema.safeParse([kind, count]);
    if (!parsed.success || rest.length > 0) {
      throw new SimulationError(
        'FAULT_SPEC_INVALID',
        `"${part}" — use kind=count with kind one of ${FAULT_KINDS.join(', ')}`,
      );
    }
    const [k, n] = parsed.data;
    counts[k] = n;
  }
  return counts;
}

export function formatFaultSpec(counts: FaultCounts): string {
  const parts = FAULT_KINDS.filter((k) => counts[k] > 0).map((k) => `${k}=${counts[k]}`);
  return parts.length === 0 ? 'none' : parts.join(',');
}

export function describeExpected(outcome: ExpectedOutcome): string {
  return outcome.kind === 'ACCEPTED' ? 'ACCEPTED' : outcome.code;
}
