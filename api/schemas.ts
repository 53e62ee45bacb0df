import { z } from 'zod';

/**
 * The HTTP contract as zod schemas: requests are parsed with them, and the OpenAPI document
 * (`/api/openapi.json`, docs/openapi.json) is generated from the same objects.
 */
const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
const Timestamp = z.string().meta({ format: 'date-time' });

export const ChallengeResponseSchema = z.object({ challenge: z.string(), expiresAt: Timestamp });

export const SessionRequestSchema = z.strictObject({
  /** base64 DER, the station certificate first, then its issuing CA(s) */
  certificateChain: z.array(Base64.max(8192)).min(1).max(4),
  challenge: z.string().min(1).max(256),
  /** base64 signature over the challenge (pki signSessionChallenge) */
  signature: Base64.min(1).max(2048),
  /** the 6-digit code from the Wahlvorsteher's TOTP token */
  totp: z.string().max(16),
});

export const SessionResponseSchema = z.object({
  token: z.string(),
  expiresAt: Timestamp,
  precinctId: z.string(),
});

export const SealedEnvelopeSchema = z
  .object({ format: z.literal('wahlkoffer.meldung/1'), jwe: z.string() })
  .meta({ description: 'pki sealMeldung output, sent byte for byte' });

export const ReportAcceptedSchema = z.object({
  status: z.literal('ACCEPTED'),
  sequence: z.number().int(),
  receipt: Base64,
  receiptCode: z.string(),
  revision: z.number().int(),
});

const LocalizedSchema = z.object({ de: z.string(), en: z.string() });

export const FindingSchema = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  message: LocalizedSchema,
  fields: z.array(z.string()),
  detail: LocalizedSchema.optional(),
});

export const ErrorResponseSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string().meta({ description: 'German' }),
    messageEn: z.string(),
    requestId: z.string(),
    findings: z.array(FindingSchema).optional(),
    retryAfterSeconds: z.number().int().optional(),
    acceptedRevision: z.number().int().optional(),
  }),
});

export const PrecinctParamsSchema = z.object({
  precinctId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
});

export const PrecinctStatusSchema = z.object({
  precinctId: z.string(),
  contests: z.array(
    z.object({
      contestId: z.string(),
      currentRevision: z.number().int().nullable(),
      revisions: z.array(
        z.object({
          revision: z.number().int(),
          sequence: z.number().int(),
          receiptCode: z.string(),
          acceptedAt: Timestamp,
        }),
      ),
    }),
  ),
  rejections: z.array(
    z.object({
      receivedAt: Timestamp,
      contestId: z.string().nullable(),
      revision: z.number().int().nullable(),
      code: z.string(),
    }),
  ),
});

const AreaTotalsSchema = z.object({
  areaId: z.string(),
  name: z.string(),
  level: z.string(),
  reported: z.number().int(),
  expected: z.number().int(),
  counts: z.record(z.string(), z.number()),
  candidates: z.record(z.string(), z.number()),
  lists: z.record(z.string(), z.number()),
});

export const ResultsSchema = z.object({
  electionId: z.string(),
  name: z.string(),
  generatedAt: Timestamp,
  reportsCounted: z.number().int(),
  contests: z.array(
    z.object({
      contestId: z.string(),
      name: z.string(),
      kind: z.string(),
      /** totals at the root of the election's area tree (e.g. the whole city) */
      root: AreaTotalsSchema,
      areas: z.array(AreaTotalsSchema),
    }),
  ),
});

export const HealthSchema = z.object({
  /** degraded: serving, but something needs the office (e.g. crl.pem could not be reloaded) */
  status: z.enum(['ok', 'degraded']),
  electionId: z.string(),
  reportsCounted: z.number().int(),
  queued: z.number().int(),
  /** the CRL in force, and the last failed reload of crl.pem (the previous CRL stays in force) */
  crl: z
    .object({
      lists: z.array(
        z.object({
          number: z.number().int(),
          thisUpdate: z.string(),
          nextUpdate: z.string().nullable(),
        }),
      ),
      loadedAt: z.string(),
      lastError: z.object({ code: z.string(), message: z.string(), at: z.string() }).nullable(),
    })
    .optional(),
  /** requests refused without a valid session: stored records and what the limits dropped */
  refusals: z
    .object({
      stored: z.number().int(),
      pending: z.number().int(),
      rateLimited: z.number().int(),
      overLimit: z.number().int(),
    })
    .optional(),
  /**
   * the verification workers' certificate cache being filled after a start: certificates read of
   * the register's current ones (reports are verified meanwhile too, at the cold cost)
   */
  preload: z.object({ read: z.number().int(), of: z.number().int(), done: z.boolean() }).optional(),
  /**
   * giving the memory glibc keeps free back to the system (malloc_trim, decision 0106): off
   * (the default; on with --malloc-trim), unavailable (no glibc; the reason), or on with the trims so far
   */
  memoryTrim: z
    .discriminatedUnion('mode', [
      z.object({ mode: z.literal('off') }),
      z.object({ mode: z.literal('unavailable'), reason: z.string() }),
      z.object({
        mode: z.literal('on'),
        trims: z.number().int(),
        returnedBytes: z.number().int(),
        last: z
          .object({ at: z.string(), returnedBytes: z.number().int(), ms: z.number() })
          .nullable(),
      }),
    ])
    .optional(),
  /**
   * how far V8 lets each thread's heap grow past its live data before it collects, in percent, as
   * the server command set it (`--heap-growth`, decision 0067 s9; 0: V8's own choice)
   */
  heapGrowthPercent: z.number().int().min(0).optional(),
});

export type ChallengeResponse = z.infer<typeof ChallengeResponseSchema>;
export type SessionRequest = z.infer<typeof SessionRequestSchema>;
export type SessionResponse = z.infer<typeof SessionResponseSchema>;
export type ReportAccepted = z.infer<typeof ReportAcceptedSchema>;
export type PrecinctStatus = z.infer<typeof PrecinctStatusSchema>;
export type Results = z.infer<typeof ResultsSchema>;
export type Health = z.infer<typeof HealthSchema>;
