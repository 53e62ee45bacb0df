import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { ServerError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { toErrorResponse } from './error-response.ts';

declare module 'express-serve-static-core' {
  interface Request {
    requestId: string;
  }
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The request id: the client's X-Request-Id when it is harmless, else a fresh UUID. */
export function requestIdOf(given: string | undefined): string {
  return given !== undefined && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** Request id (taken from X-Request-Id when it is harmless, else a UUID) and one access log line. */
export function requestContext(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    req.requestId = requestIdOf(req.header('x-request-id'));
    res.setHeader('X-Request-Id', req.requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.debug(
        {
          requestId: req.requestId,
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms,
        },
        'request',
      );
    });
    next();
  };
}

/** Body-parser failures (bad JSON, too large, bad encoding) as coded errors. */
function fromBodyParser(error: unknown): ServerError | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error)) return undefined;
  switch ((error as { type: unknown }).type) {
    case 'entity.parse.failed':
      return new ServerError('INVALID_JSON', {}, { cause: error });
    case 'entity.too.large':
      return new ServerError('PAYLOAD_TOO_LARGE', {}, { cause: error });
    case 'encoding.unsupported':
    case 'charset.unsupported':
    case 'request.size.invalid':
    case 'request.aborted':
    case 'entity.verify.failed':
      return new ServerError('INVALID_REQUEST', {}, { cause: error });
    default:
      return undefined;
  }
}

/** The one error middleware: every refusal leaves as `{ error: { code, message, … } }`. */
export function errorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const mapped = fromBodyParser(error) ?? error;
    const { status, body, known } = toErrorResponse(mapped, req.requestId ?? 'unknown');
    if (!known) logger.error({ err: error, requestId: req.requestId }, 'unhandled error');
    else logger.info({ requestId: req.requestId, code: body.error.code, status }, 'refused');
    res.status(status).json(body);
  };
}

export function notFound(_req: Request, _res: Response, next: NextFunction): void {
  next(new ServerError('NOT_FOUND'));
}

/** POST bodies of the JSON API must say they are JSON. */
export function requireJson(req: Request, _res: Response, next: NextFunction): void {
  if (!req.is('application/json')) {
    next(new ServerError('UNSUPPORTED_MEDIA_TYPE'));
    return;
  }
  next();
}
