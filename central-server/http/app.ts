import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { z } from 'zod';
import { ServerError } from '../errors.ts';
import type { IntakeService } from '../intake/intake-service.ts';
import type { Logger } from '../logger.ts';
import type { ResultsBoard } from '../results.ts';
import { PkiError } from '../../pki/index.ts';
import type { CrlStatus } from '../pki-material/index.ts';
import type { RefusalLog } from '../refusal-log.ts';
import type { SessionService } from '../sessions/session-service.ts';
import type { ServerRepository } from '../storage/repository.ts';
import { acceptedJson } from './accepted-answer.ts';
import { authenticate, refusalRecord } from './authenticate.ts';
import { errorHandler, notFound, requestContext, requireJson } from './middleware.ts';
import { ROUTES, type RouteName } from '../../api/index.ts';
import { precinctStatus } from './status.ts';
import type { LogReader } from '../log/log-reader.ts';
import type { PreloadProgress } from '../ports.ts';
import type { TrimStatus } from '../memory/memory-trimmer.ts';

export type AppDeps = {
  readonly logger: Logger;
  readonly clock: () => Date;
  readonly sessions: SessionService;
  readonly intake: IntakeService;
  /** where the totals live (the state is rebuilt in place after a failed commit) */
  readonly state: { readonly results: ResultsBoard };
  readonly repository: ServerRepository;
  readonly electionId: string;
  readonly bodyLimitBytes: number;
  readonly openApi: () => Record<string, unknown>;
  readonly queued: () => number;
  readonly refusals: RefusalLog;
  readonly crlStatus: () => CrlStatus;
  /** the verification workers' certificate preload, when there are workers */
  readonly preload?: () => PreloadProgress;
  /** the transparency log as the public reads it (decisions/0093) */
  readonly log: LogReader;
  /** the office dashboard's router, served under /office (central-server/office) */
  readonly office?: express.Router;
  /** whether and how much free memory the server gave back (decision 0106) */
  readonly memoryTrim?: () => TrimStatus;
  /** the V8 heap growth this process runs with, when it was set (decision 0067 s9) */
  readonly heapGrowth?: () => number | undefined;
};

/** Session refusals that are audited with the station (they passed the key proof) need no record. */
const AUDITED_SESSION_REFUSALS: ReadonlySet<string> = new Set([
  'TOTP_INVALID',
  'TOTP_REPLAYED',
  'SERVER_CLOCK_BEHIND',
]);

type Handler = (req: Request, res: Response) => Promise<void> | void;

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ServerError('INVALID_REQUEST', {
      issues: result.error.issues
        .slice(0, 10)
        .map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return result.data;
}

/** The Express application: security headers, strict body limits, the routes, one error handler. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestContext(deps.logger));
  app.use(helmet());
  const json = express.json({ limit: 16 * 1024, strict: true, type: 'application/json' });
  // The sealed report is kept byte for byte: its hash is the envelope hash the receipt vouches for.
  const raw = express.raw({ limit: deps.bodyLimitBytes, type: () => true });
  const session = (route: RouteName) =>
    authenticate({ sessions: deps.sessions, clock: deps.clock, refusals: deps.refusals, route });

  const handlers: Record<RouteName, { pre: express.RequestHandler[]; handle: Handler }> = {
    challenge: {
      pre: [],
      handle: (_req, res) => {
        const { challenge, expiresAt } = deps.sessions.challenge(deps.clock());
        res.status(200).json({ challenge, expiresAt: expiresAt.toISOString() });
      },
    },
    openSession: {
      pre: [requireJson, json],
      handle: async (req, res) => {
        const now = deps.clock();
        try {
          const body = parse(ROUTES.openSession.body, req.body);
          const opened = await deps.sessions.open(body, now, req.requestId);
          res.status(201).json({ ...opened, expiresAt: opened.expiresAt.toISOString() });
        } catch (error) {
          if (
            (error instanceof ServerError || error instanceof PkiError) &&
            !AUDITED_SESSION_REFUSALS.has(error.code)
          ) {
            deps.refusals.record(refusalRecord(req, 'openSession', error.code, now));
          }
          throw error;
        }
      },
    },
    submitReport: {
      pre: [session('submitReport'), raw],
      handle: async (req, res) => {
        const body: unknown = req.body;
        if (req.session === undefined) throw new ServerError('TOKEN_MISSING');
        const answer = await deps.intake.submit({
          session: req.session,
          body: Buffer.isBuffer(body) ? body : Buffer.alloc(0),
          requestId: req.requestId,
          receivedAt: deps.clock(),
        });
        res.status(answer.created ? 201 : 200).json(acceptedJson(answer));
      },
    },
    precinctStatus: {
      pre: [session('precinctStatus')],
      handle: async (req, res) => {
        const claims = req.session;
        if (claims === undefined) throw new ServerError('TOKEN_MISSING');
        const { precinctId } = parse(ROUTES.precinctStatus.params, req.params);
        if (precinctId !== claims.precinctId) throw new ServerError('PRECINCT_FORBIDDEN');
        res.status(200).json(await precinctStatus(deps.repository, precinctId));
      },
    },
    results: {
      pre: [],
      handle: (_req, res) => {
        res.status(200).type('application/json').send(deps.state.results.json(deps.clock()));
      },
    },
    health: {
      pre: [],
      handle: (_req, res) => {
        const crl = deps.crlStatus();
        res.status(200).json({
          status: crl.lastError === null ? 'ok' : 'degraded',
          electionId: deps.electionId,
          reportsCounted: deps.state.results.reportsCounted,
          queued: deps.queued(),
          crl,
          refusals: deps.refusals.stats(),
          ...(deps.preload === undefined ? {} : { preload: preloadStatus(deps.preload()) }),
          ...(deps.memoryTrim === undefined ? {} : { memoryTrim: deps.memoryTrim() }),
          ...heapGrowthStatus(deps.heapGrowth?.()),
        });
      },
    },
    logCheckpoint: {
      pre: [],
      handle: async (_req, res) => {
        const c = await deps.log.checkpoint();
        res.status(200).json({
          size: c.size,
          root: c.root,
          checkpoint: c.note,
          createdAt: c.createdAt.toISOString(),
        });
      },
    },
    logInclusionProof: {
      pre: [],
      handle: async (req, res) => {
        const { index, size } = parse(ROUTES.logInclusionProof.query, { ...req.query });
        res.status(200).json(await deps.log.inclusion(index, size));
      },
    },
    logConsistencyProof: {
      pre: [],
      handle: async (req, res) => {
        const { from, to } = parse(ROUTES.logConsistencyProof.query, { ...req.query });
        res.status(200).json(await deps.log.consistency(from, to));
      },
    },
    logLeaves: {
      pre: [],
      handle: async (req, res) => {
        const { start, end } = parse(ROUTES.logLeaves.query, { ...req.query });
        res.status(200).json({ leaves: await deps.log.leaves(start, end) });
      },
    },
    openapi: {
      pre: [],
      handle: (_req, res) => {
        res.status(200).json(deps.openApi());
      },
    },
  };

  for (const [name, route] of Object.entries(ROUTES) as [RouteName, (typeof ROUTES)[RouteName]][]) {
    const { pre, handle } = handlers[name];
    app[route.method](
      route.path,
      ...pre,
      async (req: Request, res: Response, next: NextFunction) => {
        try {
          await handle(req, res);
        } catch (error) {
          next(error);
        }
      },
    );
  }
  if (deps.office !== undefined) app.use('/office', deps.office);
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}

/** The preload as /healthz shows it: counts only (a failure's detail goes to the log). */
function preloadStatus({ read, of, done }: PreloadProgress): PreloadProgress {
  return { read, of, done };
}

/** `/healthz`'s `heapGrowthPercent`, where the server command set it. */
function heapGrowthStatus(percent: number | undefined): { heapGrowthPercent?: number } {
  return percent === undefined ? {} : { heapGrowthPercent: percent };
}
