import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import { ROUTES } from '../../api/index.ts';
import { PkiError } from '../../pki/index.ts';
import { ServerError } from '../errors.ts';
import type { IntakeService } from '../intake/intake-service.ts';
import type { Logger } from '../logger.ts';
import type { RefusalLog } from '../refusal-log.ts';
import type { SessionService } from '../sessions/session-service.ts';
import { acceptedBody } from './accepted-answer.ts';
import { refusalRecord } from './authenticate.ts';
import { toErrorResponse } from './error-response.ts';
import { requestIdOf } from './middleware.ts';

export type ReportRouteDeps = {
  readonly logger: Logger;
  readonly clock: () => Date;
  readonly sessions: SessionService;
  readonly intake: IntakeService;
  readonly refusals: RefusalLog;
  readonly bodyLimitBytes: number;
};

/** The headers helmet sets on every answer of the Express app, taken from helmet itself once. */
function helmetHeaders(): readonly (readonly [string, string])[] {
  const headers: [string, string][] = [];
  const collect = {
    setHeader: (name: string, value: unknown) => void headers.push([name, String(value)]),
    removeHeader: () => undefined,
  };
  let failed: unknown;
  helmet()({} as never, collect as never, (error?: unknown) => (failed = error));
  if (failed !== undefined) throw new Error('helmet did not give its headers', { cause: failed });
  return headers;
}

/**
 * `POST /api/v1/reports` on plain `node:http`, in front of Express (which costs about a tenth of
 * the server's CPU per report: decisions/0066): the same steps and answers as the Express route
 * (http/app.ts) — request id, the session checked from the headers before any of the body is read
 * (a refusal recorded small in the refusal log and answered with `Connection: close`), the body
 * read up to the envelope limit, the intake, the same security headers and error bodies — with
 * the answer's constant headers computed once. It takes only the plain case: exactly this path,
 * a Content-Length, no Content-Encoding or Transfer-Encoding; anything else goes on to Express,
 * whose route stays the specification (decisions/0060).
 */
export function reportRoute(deps: ReportRouteDeps) {
  const constant = helmetHeaders();
  const path = ROUTES.submitReport.path;
  const debug = deps.logger.isLevelEnabled('debug');

  const send = (res: ServerResponse, status: number, body: unknown): void => {
    sendJson(res, status, typeof body === 'string' ? body : JSON.stringify(body));
  };

  /** Answers JSON given as text or as its bytes. */
  const sendJson = (res: ServerResponse, status: number, json: string | Buffer): void => {
    res.statusCode = status;
    for (const [name, value] of constant) res.setHeader(name, value);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader(
      'Content-Length',
      typeof json === 'string' ? Buffer.byteLength(json) : json.length,
    );
    res.end(json);
  };

  const refuse = (res: ServerResponse, requestId: string, error: unknown): void => {
    const { status, body, known } = toErrorResponse(error, requestId);
    if (!known) deps.logger.error({ err: error, requestId }, 'unhandled error');
    else deps.logger.info({ requestId, code: body.error.code, status }, 'refused');
    if (!res.headersSent) send(res, status, body);
  };

  /** The whole body (its length already checked against the limit), or undefined if it broke off. */
  const readBody = (req: IncomingMessage, length: number): Promise<Buffer | undefined> =>
    new Promise((resolve) => {
      // its own memory, exactly its size (allocUnsafe would give a view into a shared 8 KB slab,
      // which every message to the writer thread would clone whole)
      const body = Buffer.allocUnsafeSlow(length);
      let at = 0;
      req.on('data', (chunk: Buffer) => {
        // Node's parser delivers exactly Content-Length bytes; the check keeps the copy in bounds
        if (at + chunk.length <= length) chunk.copy(body, at);
        at += chunk.length;
      });
      req.once('end', () => resolve(at === length ? body : undefined));
      req.once('error', () => resolve(undefined));
    });

  const handle = async (
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    length: number,
  ): Promise<void> => {
    const now = deps.clock();
    let session;
    try {
      session = await deps.sessions.verify(req.headers.authorization, now);
    } catch (error) {
      if (error instanceof ServerError || error instanceof PkiError) {
        deps.refusals.record(refusalRecord(req, 'submitReport', error.code, now));
        res.setHeader('Connection', 'close');
      }
      refuse(res, requestId, error);
      return;
    }
    if (length > deps.bodyLimitBytes) {
      // as the body parser does: the rest of the request is read off, then refused
      req.resume();
      req.once('end', () => refuse(res, requestId, new ServerError('PAYLOAD_TOO_LARGE')));
      req.once('error', () => refuse(res, requestId, new ServerError('INVALID_REQUEST')));
      return;
    }
    const body = await readBody(req, length);
    if (body === undefined) {
      refuse(res, requestId, new ServerError('INVALID_REQUEST'));
      return;
    }
    const answer = await deps.intake.submit({
      session,
      body,
      requestId,
      receivedAt: deps.clock(),
    });
    sendJson(res, answer.created ? 201 : 200, acceptedBody(answer));
  };

  /** Answers the request and returns true if it is the plain case of this route, else false. */
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const h = req.headers;
    if (
      req.method !== 'POST' ||
      req.url !== path ||
      h['content-encoding'] !== undefined ||
      h['transfer-encoding'] !== undefined ||
      h['content-length'] === undefined ||
      !/^\d{1,15}$/.test(h['content-length'])
    ) {
      return false;
    }
    const length = Number(h['content-length']);
    const given = h['x-request-id'];
    const requestId = requestIdOf(typeof given === 'string' ? given : undefined);
    res.setHeader('X-Request-Id', requestId);
    if (debug) {
      const started = process.hrtime.bigint();
      res.once('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        const status = res.statusCode;
        deps.logger.debug({ requestId, method: 'POST', path, status, ms }, 'request');
      });
    }
    handle(req, res, requestId, length).catch((error: unknown) => refuse(res, requestId, error));
    return true;
  };
}
