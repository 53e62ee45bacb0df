// Public surface of the central server. The CLI, the demo and tests import from here only.
export { startServer, loadElection, SERVER_VERSION } from './server.ts';
export type { RunningServer, StartOptions } from './server.ts';
export type { PublicationTuning } from './publication-wiring.ts';
export { publishDirOf } from './publication-wiring.ts';
export {
  parseServerConfig,
  configFromEnv,
  ConfigError,
  ServerConfigSchema,
  LockoutConfigSchema,
} from './config.ts';
export type { ServerConfig, ServerConfigInput, LockoutConfig } from './config.ts';
export {
  appliedHeapGrowth,
  limitHeapGrowth,
  SERVER_HEAP_GROWTH_PERCENT,
} from './memory/heap-growth.ts';
export { databaseTarget, migrateDatabase, redactDatabase } from './storage/database.ts';
export type { DatabaseTarget } from './storage/database.ts';
export { ServerError } from './errors.ts';
export { lockDatabase, DatabaseInUse } from './storage/database-lock.ts';
export { StartupError, type StartupErrorCode } from './startup-error.ts';
export { kitUrlNote, kitUrlWarnings } from './kit-url.ts';
export { TLS_SETTINGS } from './listener.ts';
export { sessionWindow, windowWarning } from './sessions/window.ts';
export type { ServerErrorCode } from './errors.ts';
export type { ServerPki, StationProof } from './ports.ts';
export { lockoutDelaySeconds, retryAfterSeconds } from './sessions/lockout.ts';
export { sessionExpiry } from './sessions/token.ts';
export { verifyAuditChain, GENESIS_HASH } from './storage/audit-chain.ts';
export {
  openAuditSource,
  type AuditSource,
  type AuditEnvelope,
  type AuditLogLeaf,
  type AuditCheckpoint,
} from './storage/audit-source.ts';
export type { AuditRow } from './storage/repository.ts';
export {
  withOfficeUsers,
  OfficeUsers,
  OfficeAuthError,
  OFFICE_ROLES,
  PASSWORD_MIN_LENGTH,
  type Enrolment,
  type OfficeUserSummary,
  type OfficeRole,
} from './office/index.ts';
