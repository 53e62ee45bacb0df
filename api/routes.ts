import type { z } from 'zod';
import {
  ChallengeResponseSchema,
  ErrorResponseSchema,
  HealthSchema,
  PrecinctParamsSchema,
  PrecinctStatusSchema,
  ReportAcceptedSchema,
  ResultsSchema,
  SealedEnvelopeSchema,
  SessionRequestSchema,
  SessionResponseSchema,
} from './schemas.ts';
import {
  LogCheckpointSchema,
  LogConsistencyProofSchema,
  LogConsistencyQuerySchema,
  LogInclusionProofSchema,
  LogInclusionQuerySchema,
  LogLeavesQuerySchema,
  LogLeavesSchema,
} from './log-schemas.ts';

export type RouteSpec = {
  readonly method: 'get' | 'post';
  /** Express syntax (`:param`); the OpenAPI document uses `{param}` */
  readonly path: string;
  readonly summary: string;
  readonly tag: 'sessions' | 'reports' | 'public';
  /** needs `Authorization: Bearer <session token>` */
  readonly auth: boolean;
  readonly body?: z.ZodType;
  readonly params?: z.ZodObject;
  /** query parameters (strings in the URL, parsed by the schema) */
  readonly query?: z.ZodObject;
  readonly responses: Readonly<Record<number, { description: string; schema?: z.ZodType }>>;
};

const error = (description: string) => ({ description, schema: ErrorResponseSchema });

/** Every route the server serves. app.ts registers exactly these; openapi.ts documents them. */
export const ROUTES = {
  challenge: {
    method: 'post',
    path: '/api/v1/sessions/challenge',
    summary: 'A fresh challenge for the station to sign (stateless, short-lived)',
    tag: 'sessions',
    auth: false,
    responses: { 200: { description: 'challenge issued', schema: ChallengeResponseSchema } },
  },
  openSession: {
    method: 'post',
    path: '/api/v1/sessions',
    summary: 'Open a station session: proof of the station key plus the TOTP code',
    tag: 'sessions',
    auth: false,
    body: SessionRequestSchema,
    responses: {
      201: {
        description: 'session token, valid through election night',
        schema: SessionResponseSchema,
      },
      400: error('malformed request'),
      401: error(
        'CHALLENGE_INVALID, CHALLENGE_EXPIRED, TOTP_INVALID, TOTP_REPLAYED, SESSION_PROOF_INVALID',
      ),
      403: error('STATION_UNKNOWN or a certificate refusal (CERT_REVOKED, …)'),
      429: error('SESSION_LOCKED, with retryAfterSeconds'),
    },
  },
  submitReport: {
    method: 'post',
    path: '/api/v1/reports',
    summary: 'Submit a sealed Schnellmeldung; answers with a signed receipt after it is stored',
    tag: 'reports',
    auth: true,
    body: SealedEnvelopeSchema,
    responses: {
      201: { description: 'accepted and stored', schema: ReportAcceptedSchema },
      200: {
        description: 'the same report again: the original receipt',
        schema: ReportAcceptedSchema,
      },
      400: error('envelope refused (ENVELOPE_MALFORMED, DECRYPTION_FAILED, SIGNATURE_INVALID, …)'),
      401: error('TOKEN_MISSING, TOKEN_INVALID, TOKEN_EXPIRED'),
      403: error('PRECINCT_MISMATCH, CERTIFICATE_MISMATCH, CERT_REVOKED, …'),
      409: error('REVISION_CONFLICT, REVISION_OUTDATED'),
      413: error('PAYLOAD_TOO_LARGE, ENVELOPE_TOO_LARGE'),
      422: error('PLAUSIBILITY_ERROR, UNACKNOWLEDGED_WARNING (with findings)'),
      503: error('SERVER_BUSY, STORAGE_FAILED: nothing was stored, send again'),
    },
  },
  precinctStatus: {
    method: 'get',
    path: '/api/v1/reports/:precinctId/status',
    summary: "The station's accepted revisions with receipt codes, and its latest refusals",
    tag: 'reports',
    auth: true,
    params: PrecinctParamsSchema,
    responses: {
      200: { description: 'status', schema: PrecinctStatusSchema },
      401: error('TOKEN_MISSING, TOKEN_INVALID, TOKEN_EXPIRED'),
      403: error('PRECINCT_FORBIDDEN'),
    },
  },
  results: {
    method: 'get',
    path: '/api/v1/results',
    summary:
      'Provisional results: per contest, x of y precincts and totals, at the root and per area',
    tag: 'public',
    auth: false,
    responses: { 200: { description: 'results', schema: ResultsSchema } },
  },
  health: {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness and a few counters',
    tag: 'public',
    auth: false,
    responses: { 200: { description: 'ok', schema: HealthSchema } },
  },
  logCheckpoint: {
    method: 'get',
    path: '/api/v1/log/checkpoint',
    summary: "The transparency log's latest signed checkpoint (c2sp.org/tlog-checkpoint)",
    tag: 'public',
    auth: false,
    responses: {
      200: { description: 'the latest checkpoint', schema: LogCheckpointSchema },
      404: error('LOG_EMPTY: no report has been accepted yet'),
    },
  },
  logInclusionProof: {
    method: 'get',
    path: '/api/v1/log/proof/inclusion',
    summary: 'The leaf at `index` and its RFC 9162 inclusion proof to a signed checkpoint',
    tag: 'public',
    auth: false,
    query: LogInclusionQuerySchema,
    responses: {
      200: { description: 'leaf, proof and checkpoint', schema: LogInclusionProofSchema },
      400: error('INVALID_REQUEST, LOG_RANGE_INVALID'),
      404: error('LOG_EMPTY'),
    },
  },
  logConsistencyProof: {
    method: 'get',
    path: '/api/v1/log/proof/consistency',
    summary: 'The RFC 9162 consistency proof between two signed tree sizes',
    tag: 'public',
    auth: false,
    query: LogConsistencyQuerySchema,
    responses: {
      200: { description: 'proof and the later checkpoint', schema: LogConsistencyProofSchema },
      400: error('INVALID_REQUEST, LOG_RANGE_INVALID'),
      404: error('LOG_EMPTY'),
    },
  },
  logLeaves: {
    method: 'get',
    path: '/api/v1/log/leaves',
    summary: "The log's leaves [start, end), at most 1000, each its canonical JSON as hashed",
    tag: 'public',
    auth: false,
    query: LogLeavesQuerySchema,
    responses: {
      200: { description: 'leaves', schema: LogLeavesSchema },
      400: error('INVALID_REQUEST, LOG_RANGE_INVALID'),
      404: error('LOG_EMPTY'),
    },
  },
  openapi: {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This API as an OpenAPI 3.1 document',
    tag: 'public',
    auth: false,
    responses: { 200: { description: 'the OpenAPI document' } },
  },
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof ROUTES;
