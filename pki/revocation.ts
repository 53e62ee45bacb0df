import { writeCrls, type CaContext } from './ceremony.ts';
import { REVOCATION_REASON_NAMES, type RevocationEntry, type RevocationReason } from './crl.ts';
import { PkiError } from './error.ts';
import { saveRegister } from './register.ts';
import { currentStations, type Register, type StationRecord } from './store-layout.ts';
import { normaliseSerial } from './certificate.ts';

export function revokedEntries(register: Register): RevocationEntry[] {
  return register.certificates
    .filter((r) => r.status === 'REVOKED')
    .map((r) => ({
      serial: r.serial,
      revokedAt: new Date(r.revokedAt ?? r.issuedAt),
      reason: (REVOCATION_REASON_NAMES as string[]).includes(r.reason ?? '')
        ? (r.reason as RevocationReason)
        : 'unspecified',
    }));
}

/**
 * Revokes a station certificate (by precinct: its current one; or by serial) and writes a new
 * crl.pem at once. The server re-reads crl.pem (ServerMaterial.reloadCrl) and from then on
 * refuses every report signed with that key, whatever signing time it claims.
 */
export async function revokeStation(
  ca: CaContext,
  target: { precinctId?: string; serial?: string },
  reason: RevocationReason,
  now: Date,
): Promise<StationRecord> {
  let record: StationRecord | undefined;
  if (target.precinctId !== undefined) {
    record = currentStations(ca.register).get(target.precinctId);
    if (record === undefined) throw new PkiError('UNKNOWN_PRECINCT', target.precinctId);
  } else if (target.serial !== undefined) {
    const serial = normaliseSerial(target.serial);
    record = ca.register.certificates.find((r) => r.serial === serial);
    if (record === undefined) throw new PkiError('UNKNOWN_SERIAL', serial);
  }
  if (record === undefined) throw new PkiError('UNKNOWN_PRECINCT', 'no precinct or serial given');
  const updated: StationRecord =
    record.status === 'REVOKED'
      ? record
      : { ...record, status: 'REVOKED', revokedAt: now.toISOString(), reason };
  const register = {
    ...ca.register,
    certificates: ca.register.certificates.map((r) => (r === record ? updated : r)),
  };
  await saveRegister(ca.dir, register);
  await writeCrls(ca.dir, ca, ca.meta, revokedEntries(register), now);
  return updated;
}

/** Re-signs crl.pem from the register (e.g. before nextUpdate runs out). */
export async function regenerateCrl(ca: CaContext, now: Date): Promise<void> {
  await writeCrls(ca.dir, ca, ca.meta, revokedEntries(ca.register), now);
}
