import { z } from 'zod';
import { BaseError } from '../election/index.ts';
import { MAX_ENVELOPE_BYTES } from '../pki/index.ts';
import { SERVER_HEAP_GROWTH_PERCENT } from './memory/heap-growth.ts';

/**
 * The server's configuration: command-line flags over environment variables over defaults,
 * parsed once at start. A wrong value stops the server before it binds a port, with one line per
 * problem (fail fast: an election-night operator must see at once what is wrong).
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const LockoutConfigSchema = z.strictObject({
  /** failed TOTP attempts allowed before the back-off starts */
  freeAttempts: z.number().int().min(1).max(20).default(5),
  /** delay after the first attempt past the free ones; doubles with each further failure */
  baseDelaySeconds: z.number().int().min(1).max(3600).default(15),
  /** the delay never grows beyond this */
  maxDelaySeconds: z.number().int().min(1).max(86_400).default(900),
});
export type LockoutConfig = z.infer<typeof LockoutConfigSchema>;

export const ServerConfigSchema = z.strictObject({
  /** the PKI directory from `wahlkoffer pki init` */
  pkiDir: z.string().min(1),
  /** the election definition (election.json) */
  electionFile: z.string().min(1),
  /**
   * a SQLite file path (or file: URL; one server per file), or a PostgreSQL URL
   * (postgresql://user@host:5432/db; several servers may share it, decisions/0111). A password is
   * better given in PGPASSWORD or ~/.pgpass than in the URL.
   */
  db: z
    .string()
    .min(1)
    .default('./wahlkoffer.db')
    .refine((v) => !/^postgres(ql)?:/i.test(v) || URL.canParse(v), {
      message: 'not a valid PostgreSQL URL (postgresql://user@host:5432/database)',
    }),
  host: z.string().min(1).default('127.0.0.1'),
  /**
   * HTTPS with the PKI's TLS certificate (pki/server-material.ts) is the default; plain HTTP only
   * when asked for: the demo on loopback, or a server behind nginx that terminates TLS
   * (docs/guides/office.md, decisions/0053)
   */
  plainHttp: z.boolean().default(false),
  /** 0 = any free port (the bound URL is printed); default 8443 for HTTPS, 8080 for plain HTTP */
  port: z.coerce.number().int().min(0).max(65_535).optional(),
  logLevel: z.enum(LOG_LEVELS).default('info'),
  /** largest accepted report body: the largest legitimate sealed report (pki MAX_ENVELOPE_BYTES) */
  bodyLimitBytes: z
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(MAX_ENVELOPE_BYTES),
  /** a client must send its request headers within this time (slow-header attacks) */
  headersTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  /** … and its whole request within this time (slow-body attacks) */
  requestTimeoutMs: z.number().int().min(100).max(600_000).default(30_000),
  /** an idle keep-alive connection is closed after this time */
  keepAliveTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  /** requests refused without a valid session: at most this many records are kept (disk bound) */
  refusalLogMaxRows: z.number().int().min(0).max(10_000_000).default(100_000),
  /** how long a session challenge may be answered */
  challengeTtlSeconds: z.number().int().min(10).max(600).default(120),
  lockout: LockoutConfigSchema.default(LockoutConfigSchema.parse({})),
  /** group commit: at most this many reports per transaction */
  maxBatch: z.number().int().min(1).max(2000).default(256),
  /** refuse new reports with SERVER_BUSY when this many wait for the writer */
  maxQueue: z.number().int().min(1).max(100_000).default(4096),
  /** worker threads that open and verify envelopes (0 = on the main thread) */
  verifyWorkers: z.number().int().min(0).max(16).default(1),
  /**
   * where the public results go: a symlink to the current snapshot directory (snapshots in
   * `<publishDir>.snapshots/`, and `<publishDir>.mirror` for mirrors); default: `publication`
   * beside the SQLite file, or in the working directory on PostgreSQL (several servers on one
   * machine need one each)
   */
  publishDir: z.string().min(1).optional(),
  /**
   * a listener of the publication thread for the public results alone (the snapshot at `/`),
   * beside `/ergebnisse/` on the main port; readers and intake then never share an event loop
   */
  publicPort: z.coerce.number().int().min(0).max(65_535).optional(),
  publicHost: z.string().min(1).default('127.0.0.1'),
  /**
   * the office dashboard (/office) is reached over HTTPS (TLS at nginx, docs/operations.md): its
   * session cookie then carries `Secure` and the `__Host-` prefix, and a form's Origin must be
   * https://<host>. Off for plain HTTP on loopback (the demo).
   */
  officeHttps: z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
    .transform((v) => v === true || v === 'true' || v === '1')
    .default(false),
  /**
   * give the memory glibc keeps free inside its heaps back to the system while the server runs
   * (`malloc_trim` when the process has grown, decision 0106); nothing happens where there is no
   * glibc. Off unless asked for: a trim under load held glibc's lock while the main thread waited
   * (results requests over 2 s, decision 0106 s8 follow-up)
   */
  mallocTrim: z.boolean().default(false),
  /**
   * how far V8 lets each thread's old generation grow past what its last full collection left
   * alive, in percent (`memory/heap-growth.ts`, decision 0067 s9); 0 leaves V8's own choice (up to
   * 300 % on a large machine: the peak RSS ~200 MB higher at 8,000 stations)
   */
  heapGrowth: z.coerce.number().int().min(0).max(300).default(SERVER_HEAP_GROWTH_PERCENT),
  /** the time zone of the times on the public pages */
  timeZone: z
    .string()
    .default('Europe/Berlin')
    .refine(
      (tz) => {
        try {
          new Intl.DateTimeFormat('de', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      },
      { message: 'not an IANA time zone (e.g. Europe/Berlin)' },
    ),
});
/** The port when none is given: 8443 for HTTPS (as `pki init --server-url` assumes), 8080 for plain HTTP. */
export const defaultPort = (plainHttp: boolean): number => (plainHttp ? 8080 : 8443);

export type ServerConfig = Omit<z.infer<typeof ServerConfigSchema>, 'port'> & {
  readonly port: number;
};
export type ServerConfigInput = z.input<typeof ServerConfigSchema>;

export class ConfigError extends BaseError<'CONFIG_INVALID'> {
  /** one entry per problem: the setting (flag and variable) and what is wrong with it */
  readonly problems: readonly { readonly setting: string; readonly problem: string }[];

  constructor(problems: readonly { setting: string; problem: string }[]) {
    const lines = problems.map((p) => `  ${p.setting}: ${p.problem}`);
    super('CONFIG_INVALID', `invalid server configuration:\n${lines.join('\n')}`);
    this.problems = problems;
  }
}

/** Reads the `WAHLKOFFER_*` environment variables that correspond to config fields. */
export function configFromEnv(env: NodeJS.ProcessEnv): Partial<ServerConfigInput> {
  const out: Record<string, unknown> = {};
  const map: [string, keyof ServerConfigInput][] = [
    ['WAHLKOFFER_PKI', 'pkiDir'],
    ['WAHLKOFFER_ELECTION', 'electionFile'],
    ['WAHLKOFFER_DB', 'db'],
    ['WAHLKOFFER_HOST', 'host'],
    ['WAHLKOFFER_PORT', 'port'],
    ['WAHLKOFFER_LOG_LEVEL', 'logLevel'],
    ['WAHLKOFFER_VERIFY_WORKERS', 'verifyWorkers'],
    ['WAHLKOFFER_PUBLISH_DIR', 'publishDir'],
    ['WAHLKOFFER_PUBLIC_PORT', 'publicPort'],
    ['WAHLKOFFER_PUBLIC_HOST', 'publicHost'],
    ['WAHLKOFFER_OFFICE_HTTPS', 'officeHttps'],
    ['WAHLKOFFER_TIME_ZONE', 'timeZone'],
    ['WAHLKOFFER_PLAIN_HTTP', 'plainHttp'],
    ['WAHLKOFFER_MALLOC_TRIM', 'mallocTrim'],
    ['WAHLKOFFER_HEAP_GROWTH', 'heapGrowth'],
  ];
  for (const [name, key] of map) {
    const value = env[name];
    if (value !== undefined && value !== '') out[key] = value;
  }
  if (typeof out.verifyWorkers === 'string') out.verifyWorkers = Number(out.verifyWorkers);
  // WAHLKOFFER_PLAIN_HTTP and WAHLKOFFER_MALLOC_TRIM: 1|true|yes or 0|false|no; anything else is left for
  // the schema to refuse
  for (const key of ['plainHttp', 'mallocTrim'] as const) {
    const value = out[key];
    if (typeof value !== 'string') continue;
    const v = value.toLowerCase();
    if (['1', 'true', 'yes'].includes(v)) out[key] = true;
    else if (['0', 'false', 'no'].includes(v)) out[key] = false;
  }
  return out as Partial<ServerConfigInput>;
}

/** How a config field is set on the command line / in the environment, for error messages. */
const FLAG_NAMES: Record<string, string> = {
  pkiDir: '--pki <dir> (WAHLKOFFER_PKI)',
  electionFile: '--election <file> (WAHLKOFFER_ELECTION)',
  db: '--db <path|url> (WAHLKOFFER_DB)',
  host: '--host (WAHLKOFFER_HOST)',
  port: '--port (WAHLKOFFER_PORT)',
  logLevel: '--log-level (WAHLKOFFER_LOG_LEVEL)',
  verifyWorkers: '--verify-workers (WAHLKOFFER_VERIFY_WORKERS)',
  publishDir: '--publish-dir <dir> (WAHLKOFFER_PUBLISH_DIR)',
  publicPort: '--public-port <n> (WAHLKOFFER_PUBLIC_PORT)',
  publicHost: '--public-host <host> (WAHLKOFFER_PUBLIC_HOST)',
  officeHttps: '--office-https (WAHLKOFFER_OFFICE_HTTPS)',
  timeZone: '--time-zone <tz> (WAHLKOFFER_TIME_ZONE)',
  plainHttp: '--plain-http (WAHLKOFFER_PLAIN_HTTP)',
  mallocTrim: '--malloc-trim (WAHLKOFFER_MALLOC_TRIM)',
  heapGrowth: '--heap-growth <percent> (WAHLKOFFER_HEAP_GROWTH)',
};

/** Flags win over the environment; throws ConfigError listing every problem. */
export function parseServerConfig(
  flags: Partial<ServerConfigInput>,
  env: NodeJS.ProcessEnv = {},
): ServerConfig {
  const defined = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  const merged: Record<string, unknown> = { ...configFromEnv(env), ...defined };
  const result = ServerConfigSchema.safeParse(merged);
  if (result.success) {
    return { ...result.data, port: result.data.port ?? defaultPort(result.data.plainHttp) };
  }
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const key = issue.path.join('.');
      const setting = FLAG_NAMES[key] ?? (key || 'config');
      const given = issue.path.length > 0 && merged[String(issue.path[0])] !== undefined;
      const problem = given ? `is not valid (${issue.message})` : 'is required';
      return { setting, problem };
    }),
  );
}
