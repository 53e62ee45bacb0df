import type { AuditChain, AuditDraft } from '../../storage/audit-chain.ts';
import type { AuditRow } from '../../storage/repository.ts';
import type { WriteLock } from '../../write-lock.ts';

/** Where the audit chain head lives and the lock that serialises every write to it. */
export type AuditDeps = {
  readonly state: { readonly audit: AuditChain };
  readonly lock: WriteLock;
};

/**
 * Runs `write` under the server's write lock with one audit row drafted against the chain's
 * head; the head moves only after `write` (one transaction with the row) has committed.
 */
export function withAudit<T>(
  deps: AuditDeps,
  event: () => AuditDraft | null,
  write: (row: AuditRow | null) => Promise<T>,
): Promise<T> {
  return deps.lock.run(async () => {
    const draft = event();
    const row = draft === null ? null : deps.state.audit.draft(draft);
    const result = await write(row);
    if (row !== null) deps.state.audit.advance(row);
    return result;
  });
}
