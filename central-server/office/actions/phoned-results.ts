import { createHash, randomUUID } from 'node:crypto';
import {
  FourEyesStateSchema,
  canonicalBytes,
  registerPrefill,
  startFourEyes,
  transition,
  type ElectionIndex,
  type FourEyesEnv,
  type FourEyesEvent,
  type FourEyesState,
  type LocalizedMessage,
  type Person,
} from '../../../election/index.ts';
import type { Ledger } from '../../intake/ledger.ts';
import type {
  IntakeItem,
  IntakeOutcome,
  IntakeRefusal,
  OfficeOperator,
} from '../../intake/types.ts';
import { SERVER_REFUSALS } from '../../../api/index.ts';
import { PKI_MESSAGES } from '../../../pki/index.ts';
import { ServerError } from '../../errors.ts';
import { withAudit, type AuditDeps } from './audit.ts';
import { OfficeActionError } from './errors.ts';
import { allowedFor, phoneEntryView, roleOf, type PhoneEntryView } from './phone-entry-view.ts';
import type { OfficeActionStore } from './store.ts';

/** What an operator sends: any four-eyes event; the persons of START_* are the operator. */
export type OfficeEntryEvent =
  | Exclude<FourEyesEvent, { type: 'START_FIRST_ENTRY' | 'START_SECOND_ENTRY' }>
  | { type: 'START_FIRST_ENTRY' | 'START_SECOND_ENTRY' };

export type PhonedResultDeps = AuditDeps & {
  readonly index: ElectionIndex;
  readonly state: AuditDeps['state'] & { readonly ledger: Ledger };
  readonly store: OfficeActionStore;
  /** the intake's single writer (IntakeWriter.submit) */
  readonly submit: (item: IntakeItem) => Promise<IntakeOutcome>;
  readonly clock: () => Date;
};

export type PhonedResultOutcome = {
  readonly view: PhoneEntryView;
  /** set once the result was counted: its receipt (the code is read back to the caller) */
  readonly counted?: { readonly sequence: number; readonly receiptCode: string | null };
};

/**
 * The office's side of a phoned-in Schnellmeldung (a kit that failed): two different operators
 * type the figures the Wahlvorsteher reads out, with the kit's own four-eyes machine
 * (election/four-eyes, decisions/0070): blind second entry, field-by-field settling, live
 * plausibility, reasons for warnings. Its state lives in the database (PhoneEntry), so the two
 * operators may sit at different desks, browsers or servers. The signed result goes through the
 * intake's single writer like a kit's report (decisions/0089): numbered, receipted, counted and
 * published with source "telefonisch".
 *
 * In the report, `enteredBy` names the two operators; the schema knows only roles of the
 * Wahlvorstand, so both carry BEISITZER, and Report.source says that they are office staff.
 */
export class PhonedResultService {
  constructor(private readonly deps: PhonedResultDeps) {}

  private get env(): FourEyesEnv {
    const { ledger } = this.deps.state;
    return { index: this.deps.index, identicalTo: (key) => ledger.identicalTo(key) };
  }

  /** The entry as this operator may see it (an empty one if none is stored). */
  async view(precinctId: string, contestId: string, operatorId: string): Promise<PhoneEntryView> {
    return phoneEntryView(await this.load(precinctId, contestId), operatorId, this.env);
  }

  /** Every entry in progress, for the overview (status and persons only, never figures). */
  async inProgress(): Promise<
    readonly { precinctId: string; contestId: string; status: string; updatedAt: Date }[]
  > {
    const rows = await this.deps.store.phoneEntries();
    return rows.map((r) => ({
      precinctId: r.precinctId,
      contestId: r.contestId,
      status: FourEyesStateSchema.parse(JSON.parse(r.state)).status,
      updatedAt: r.updatedAt,
    }));
  }

  /**
   * Applies the operator's events in order, all or nothing: the first refusal stores nothing and
   * is thrown. A SIGN hands the report to the intake; once it is counted the entry is removed.
   */
  async apply(
    target: { precinctId: string; contestId: string },
    operator: OfficeOperator,
    events: readonly OfficeEntryEvent[],
    requestId: string = randomUUID(),
  ): Promise<PhonedResultOutcome> {
    const { deps } = this;
    const signed = await deps.lock.run(async () => {
      const before = await this.load(target.precinctId, target.contestId);
      const counted = deps.state.ledger.current(target.precinctId, target.contestId);
      if (before.status === 'EMPTY' && counted !== undefined) {
        // nothing to take by phone: the district's figures are counted already (the intake
        // decides the same again when the result is signed, in case a report arrives meanwhile)
        throw new OfficeActionError('PHONED_RESULT_REFUSED', {
          code: 'PHONED_RESULT_ALREADY_REPORTED',
          reason: refusalMessage(new ServerError('PHONED_RESULT_ALREADY_REPORTED')),
        });
      }
      let state = before;
      for (const event of events) state = this.step(state, operator, event);
      if (state === before) return state;
      const now = deps.clock();
      const audited = events.filter((e) => e.type !== 'SET_VALUE' && e.type !== 'ENTER_AGAIN');
      const row =
        audited.length === 0
          ? null
          : deps.state.audit.draft({
              at: now,
              precinctId: target.precinctId,
              requestId,
              kind: 'PHONE_ENTRY',
              data: {
                contestId: target.contestId,
                by: operator.id,
                events: audited.map((e) => e.type),
                status: state.status,
              },
            });
      if (state.status === 'EMPTY') {
        await deps.store.deletePhoneEntry(target.precinctId, target.contestId, row);
      } else {
        await deps.store.savePhoneEntry(
          { ...target, state: JSON.stringify(state), updatedBy: operator.id, updatedAt: now },
          row,
        );
      }
      if (row !== null) deps.state.audit.advance(row);
      return state;
    });
    if (signed.status !== 'SIGNED') {
      return { view: phoneEntryView(signed, operator.id, this.env) };
    }
    return this.count(signed, operator, requestId);
  }

  /**
   * Hands a signed entry to the intake. Refused (e.g. the kit's report arrived meanwhile): the
   * entry is removed and the refusal thrown. A failed write keeps the signed entry, and signing
   * again (or any later apply) resubmits the same bytes, which the intake takes once.
   */
  private async count(
    state: Extract<FourEyesState, { status: 'SIGNED' }>,
    operator: OfficeOperator,
    requestId: string,
  ): Promise<PhonedResultOutcome> {
    const { deps } = this;
    const { report } = state;
    const entries = state.entries;
    const operators: [OfficeOperator, OfficeOperator] =
      entries === undefined
        ? [operator, operator]
        : [
            { id: entries.first.person.id, name: entries.first.person.name },
            { id: entries.second.person.id, name: entries.second.person.name },
          ];
    const bytes = canonicalBytes(report);
    const outcome = await deps.submit({
      kind: 'phoned',
      requestId,
      receivedAt: deps.clock(),
      schnellmeldung: report,
      bytes,
      contentHash: createHash('sha256').update(bytes).digest('hex'),
      operators,
    });
    const { precinctId, contestId } = state.target;
    switch (outcome.kind) {
      case 'failed':
        throw new OfficeActionError('STORAGE_FAILED', { reason: outcome.code });
      case 'rejected':
        await withAudit(
          deps,
          () => null,
          () => deps.store.deletePhoneEntry(precinctId, contestId, null),
        );
        throw new OfficeActionError('PHONED_RESULT_REFUSED', {
          code: outcome.refusal.code,
          reason: refusalMessage(outcome.refusal),
        });
      case 'accepted':
        await withAudit(
          deps,
          () => null,
          () => deps.store.deletePhoneEntry(precinctId, contestId, null),
        );
        return {
          view: phoneEntryView(state, operator.id, this.env),
          counted: {
            sequence: outcome.sequence,
            receiptCode: outcome.receipt?.receiptCode ?? null,
          },
        };
    }
  }

  /** One event: who may send it, then the machine. */
  private step(state: FourEyesState, operator: OfficeOperator, event: OfficeEntryEvent) {
    const role = roleOf(state, operator.id);
    if (!allowedFor(state, role).includes(event.type)) {
      throw new OfficeActionError(
        role === 'other' && state.status !== 'EMPTY'
          ? 'PHONE_ENTRY_NOT_YOURS'
          : 'PHONE_ENTRY_REFUSED',
        { event: event.type, status: state.status },
      );
    }
    const person: Person = { id: operator.id, name: operator.name, role: 'BEISITZER' };
    const full: FourEyesEvent =
      event.type === 'START_FIRST_ENTRY'
        ? { type: 'START_FIRST_ENTRY', person }
        : event.type === 'START_SECOND_ENTRY'
          ? { type: 'START_SECOND_ENTRY', person }
          : (event as FourEyesEvent);
    const result = transition(state, full, this.env);
    if (!result.ok) {
      throw new OfficeActionError('PHONE_ENTRY_REFUSED', {
        code: result.refusal.code,
        reason: result.refusal.message,
        ...(result.refusal.fields === undefined ? {} : { fields: result.refusal.fields }),
      });
    }
    return result.state;
  }

  private async load(precinctId: string, contestId: string): Promise<FourEyesState> {
    const row = await this.deps.store.findPhoneEntry(precinctId, contestId);
    if (row !== null) return FourEyesStateSchema.parse(JSON.parse(row.state));
    const { index } = this.deps;
    const precinct = index.precinct(precinctId);
    if (precinct === undefined) throw new OfficeActionError('PRECINCT_UNKNOWN');
    const started = startFourEyes(
      { electionId: index.definition.id, precinctId, contestId },
      this.env,
      registerPrefill(precinct),
    );
    if (!started.ok) throw new OfficeActionError('CONTEST_UNKNOWN');
    return started.state;
  }
}

/** The German and English message of an intake refusal (the kit contract's own texts). */
function refusalMessage(refusal: IntakeRefusal): LocalizedMessage {
  const text =
    refusal instanceof ServerError ? SERVER_REFUSALS[refusal.code] : PKI_MESSAGES[refusal.code];
  return { de: text.de, en: text.en };
}
