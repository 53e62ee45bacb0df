// Public surface of the HTTP contract between the central server and its clients (the kit, the
// simulator, tests and benchmarks): paths, zod schemas, refusal codes, the OpenAPI document and
// the station-side client. The server and every client import from here only.
export { ROUTES, type RouteName, type RouteSpec } from './routes.ts';
export {
  LogCheckpointSchema,
  LogConsistencyProofSchema,
  LogInclusionProofSchema,
  LogLeavesSchema,
  type LogCheckpoint,
  type LogConsistencyProof,
  type LogInclusionProof,
  type LogLeaves,
} from './log-schemas.ts';
export {
  ChallengeResponseSchema,
  ErrorResponseSchema,
  FindingSchema,
  HealthSchema,
  PrecinctParamsSchema,
  PrecinctStatusSchema,
  ReportAcceptedSchema,
  ResultsSchema,
  SealedEnvelopeSchema,
  SessionRequestSchema,
  SessionResponseSchema,
  type ChallengeResponse,
  type Health,
  type PrecinctStatus,
  type ReportAccepted,
  type Results,
  type SessionRequest,
  type SessionResponse,
} from './schemas.ts';
export {
  REFUSALS,
  SERVER_REFUSALS,
  PKI_REFUSAL_STATUS,
  isRefusalCode,
  pkiRefusal,
  type Refusal,
  type RefusalCode,
  type ServerRefusalCode,
  type PkiRefusalCode,
} from './refusals.ts';
export { errorBody, type ErrorBody } from './error-body.ts';
export { buildOpenApiDocument, toOpenApiPath } from './openapi.ts';
export {
  StationClient,
  type StationClientOptions,
  type ReportAnswer,
} from './client/station-client.ts';
export {
  ApiClientError,
  CLIENT_FAILURES,
  type ApiClientErrorCode,
  type ClientFailureCode,
  type Finding,
  type RefusalDetails,
} from './client/client-error.ts';
export { DEFAULT_BACKOFF, retryDelayMs, type BackoffConfig } from './client/backoff.ts';
export { resendDelayMs, withResend, type ResendPolicy } from './client/resend.ts';
export {
  RECEIPT_PROBLEMS,
  checkReportReceipt,
  sentReport,
  type ReceiptCheck,
  type ReceiptProblem,
  type SentReport,
} from './client/report-receipt.ts';
export {
  createDispatcher,
  undiciTransport,
  type DispatcherOptions,
  type HttpReply,
  type HttpRequest,
  type HttpTransport,
} from './client/transport.ts';
