import type { AuditChain, AuditDraft } from '../../storage/audit-chain.ts';
import type { AuditRow } from '../../storage/repository.ts';
import type { WriteLock } from '../../write-lock.ts';

/** Drafts an audit row after the chain's head (or after the row drafted before it in this run). */
export type DraftAudit = (event: AuditDraft) => AuditRow;

/**
 * Runs one write with exclusive access to the audit chain: `fn` reads what it must decide on,
 * drafts its rows and writes them in one transaction; the chain head moves to the last drafted
 * row only after `fn` resolved. Draft only what the transaction writes.
 */
export interface AuditWriter {
  run<T>(fn: (draft: DraftAudit) => Promise<T>): Promise<T>;
}

/** The server's: under its write lock (database-wide on PostgreSQL), on the in-memory head. */
export function serverAuditWriter(deps: {
  readonly state: { readonly audit: AuditChain };
  readonly lock: WriteLock;
}): AuditWriter {
  return {
    run: (fn) =>
      deps.lock.run(async () => {
        let last: AuditRow | undefined;
        const result = await fn((event) => (last = deps.state.audit.draft(event, last)));
        if (last !== undefined) deps.state.audit.advance(last);
        return result;
      }),
  };
}
