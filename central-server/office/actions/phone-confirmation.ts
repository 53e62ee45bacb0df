import type { ElectionIndex } from '../../../election/index.ts';
import type { Ledger } from '../../intake/ledger.ts';
import type { ServerRepository } from '../../storage/repository.ts';
import { withAudit, type AuditDeps } from './audit.ts';
import { OfficeActionError } from './errors.ts';
import type { OfficeActionStore, PhoneConfirmationRow } from './store.ts';

/** Crockford Base32 as the receipt code uses it (pki/receipt.ts): no I, L, O, U. */
const CROCKFORD = /^[0-9A-HJKMNP-TV-Z]{8}$/;

/**
 * A code as read out on the phone, in the receipt's form XXXX-XXXX: case, spaces and dashes do
 * not matter, and the letters Crockford reads as digits (O → 0, I and L → 1) are taken as those
 * digits, so a code misheard as "O" still matches. Anything else is `RECEIPT_CODE_MALFORMED`.
 */
export function normaliseReceiptCode(typed: string): string {
  const plain = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!CROCKFORD.test(plain)) throw new OfficeActionError('RECEIPT_CODE_MALFORMED');
  return `${plain.slice(0, 4)}-${plain.slice(4)}`;
}

export type PhoneConfirmationDeps = AuditDeps & {
  readonly index: ElectionIndex;
  readonly state: AuditDeps['state'] & { readonly ledger: Ledger };
  readonly repository: Pick<ServerRepository, 'precinctHistory'>;
  readonly store: OfficeActionStore;
  readonly clock: () => Date;
};

/**
 * Phone confirmation (the second channel of SPEC §6): the poll worker reads out the receipt code
 * the kit showed; the operator types it; it must equal the code of the receipt the server stored
 * for the district's current report of some contest. A match marks that report "telefonisch
 * bestätigt" (by whom, when); a mismatch is refused with a code and audit-logged, because it
 * means the kit holds a receipt the server did not give for the counted figures.
 */
export class PhoneConfirmationService {
  constructor(private readonly deps: PhoneConfirmationDeps) {}

  async confirm(input: {
    readonly precinctId: string;
    readonly code: string;
    readonly user: string;
    readonly requestId: string;
  }): Promise<PhoneConfirmationRow> {
    const { deps } = this;
    const precinct = deps.index.precinct(input.precinctId);
    if (precinct === undefined) throw new OfficeActionError('PRECINCT_UNKNOWN');
    const code = normaliseReceiptCode(input.code);
    const history = await deps.repository.precinctHistory(precinct.id, 0);
    const now = deps.clock();
    const base = { at: now, precinctId: precinct.id, requestId: input.requestId };
    const match = history.reports.find((r) => r.receiptCode === code);
    const current =
      match === undefined ? undefined : deps.state.ledger.current(precinct.id, match.contestId);
    const refusal =
      history.reports.length === 0
        ? 'NOTHING_TO_CONFIRM'
        : match === undefined
          ? 'RECEIPT_CODE_MISMATCH'
          : current?.sequence !== match.sequence
            ? 'RECEIPT_CODE_OUTDATED'
            : null;
    if (refusal !== null || match === undefined) {
      const failure = refusal ?? 'RECEIPT_CODE_MISMATCH';
      await withAudit(
        deps,
        () => ({
          ...base,
          kind: 'PHONE_CONFIRMATION_REFUSED',
          data: { code: failure, typed: code, by: input.user },
        }),
        (row) => deps.store.appendAudit(row!),
      );
      throw new OfficeActionError(failure);
    }
    const confirmation: PhoneConfirmationRow = {
      precinctId: precinct.id,
      contestId: match.contestId,
      sequence: match.sequence,
      confirmedBy: input.user,
      confirmedAt: now,
    };
    await withAudit(
      deps,
      () => ({
        ...base,
        kind: 'PHONE_CONFIRMED',
        data: {
          contestId: match.contestId,
          sequence: match.sequence,
          revision: match.revision,
          by: input.user,
        },
      }),
      (row) => deps.store.recordPhoneConfirmation(confirmation, row!),
    );
    return confirmation;
  }
}
