import { describe, expect, it } from 'vitest';
import { auditEvent } from '../../../../central-server/office/live/audit-events.ts';

const row = (kind: string, event: string, precinctId: string | null = 'P1') => ({
  id: 1,
  at: new Date('2026-09-27T16:05:00Z'),
  kind,
  precinctId,
  event,
});

describe('audit rows read back for the live board', () => {
  it('a rejected report becomes a refused report attempt with its code', () => {
    expect(auditEvent(row('REPORT_REJECTED', '{"data":{"code":"CERT_REVOKED"}}'))).toMatchObject({
      kind: 'refused',
      attempt: 'report',
      code: 'CERT_REVOKED',
      precinctId: 'P1',
    });
  });

  it('a refused session becomes the code the kit was answered with', () => {
    const event = auditEvent(row('SESSION_REFUSED', '{"data":{"reason":"REPLAYED"}}'));
    expect(event).toMatchObject({ attempt: 'session', code: 'TOTP_REPLAYED' });
  });

  it('a phone confirmation names the contest, the receipt number and who confirmed', () => {
    const event = auditEvent(
      row('PHONE_CONFIRMED', '{"data":{"contestId":"OB","sequence":7,"by":"anna"}}'),
    );
    expect(event).toMatchObject({ kind: 'confirmed', contestId: 'OB', sequence: 7, by: 'anna' });
  });

  it('a row it cannot read is skipped, never thrown', () => {
    expect(auditEvent(row('REPORT_REJECTED', 'not json'))).toBeUndefined();
    expect(auditEvent(row('REPORT_REJECTED', '{"data":{"code":7}}'))).toBeUndefined();
    expect(auditEvent(row('SESSION_REFUSED', '{"data":{"reason":"toString"}}'))).toBeUndefined();
    expect(auditEvent(row('PHONE_CONFIRMED', '{"data":{"contestId":"OB"}}'))).toBeUndefined();
    expect(
      auditEvent(row('PHONE_CONFIRMED', '{"data":{"contestId":"OB","sequence":1,"by":"x"}}', null)),
    ).toBeUndefined();
    expect(auditEvent(row('KIT_REVOKED', '{"data":{}}'))).toBeUndefined();
  });
});
