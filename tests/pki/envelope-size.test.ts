import { describe, expect, it } from 'vitest';
import type { Schnellmeldung } from '../../election/index.ts';
import { RULES } from '../../election/index.ts';
import { MAX_ENVELOPE_BYTES, sealMeldung } from '../../pki/index.ts';
import { ELECTION_ID, createTestPki } from './fixtures.ts';

/** 500 characters of 3-byte UTF-8 (the longest a reason can be in bytes, SPEC §4). */
const longestReason = '€'.repeat(500);

/**
 * The largest report a kit can legitimately seal: a ballot with 99 candidates and 99 lists
 * (Kennbuchstaben D1–D99, F1–F99) and 9-digit counts, a correction with the longest reason,
 * every warning the rules know acknowledged with the longest reason, and the longest names.
 */
function largestLegitimateReport(): Schnellmeldung {
  const counts: Record<string, number> = {};
  for (const key of ['A1', 'A2', 'A3', 'A', 'B', 'B1', 'C', 'D', 'E', 'F'])
    counts[key] = 999_999_999;
  for (let i = 1; i <= 99; i++) {
    counts[`D${i}`] = 999_999_999;
    counts[`F${i}`] = 999_999_999;
  }
  const warnings = RULES.filter((r) => r.severity === 'warning').map((r) => r.code);
  return {
    format: 'wahlkoffer.schnellmeldung/1',
    electionId: ELECTION_ID,
    precinctId: 'p-1',
    contestId: 'c-with-the-longest-ballot',
    revision: 999,
    correctionReason: longestReason,
    counts,
    acknowledgements: warnings.map((code) => ({ code, reason: longestReason })),
    // the longest names in 3-byte letters (PersonNameSchema: 100 characters)
    enteredBy: [
      { role: 'STELLV_WAHLVORSTEHER', initials: 'アアアア', name: 'ア'.repeat(100) },
      { role: 'STELLV_WAHLVORSTEHER', initials: 'イイイイ', name: 'イ'.repeat(100) },
    ],
  };
}

describe('the report body limit', () => {
  it('fits the largest legitimate sealed report, with little room to spare', async () => {
    const now = new Date();
    const pki = await createTestPki(now);
    const envelope = await sealMeldung(largestLegitimateReport(), {
      stationKey: pki.station.key,
      stationCertificate: pki.station.certificate,
      chain: [pki.issuing.certificate],
      recipientCertificate: pki.recipient,
      now,
    });
    expect(envelope.length).toBeLessThanOrEqual(MAX_ENVELOPE_BYTES);
    expect(MAX_ENVELOPE_BYTES).toBeLessThanOrEqual(envelope.length * 1.25);
  });
});
