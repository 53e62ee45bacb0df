import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { PkiError } from '../../pki/index.ts';
import { ServerError } from '../errors.ts';
import type { RefusalLog } from '../refusal-log.ts';
import type { SessionService } from '../sessions/session-service.ts';
import type { SessionClaims } from '../sessions/token.ts';

declare module 'express-serve-static-core' {
  interface Request {
    /** set by `authenticate`: a valid session whose certificate is not revoked */
    session?: SessionClaims;
  }
}

/** What is kept of a request refused without a valid session (never its body). */
export function refusalRecord(req: IncomingMessage, route: string, code: string, at: Date) {
  const length = Number(req.headers['content-length']);
  const credential = req.headers.authorization;
  return {
    at,
    route,
    code,
    size: Number.isSafeInteger(length) && length >= 0 ? length : null,
    hash: credential === undefined ? null : createHash('sha256').update(credential).digest('hex'),
    source: req.socket.remoteAddress ?? 'unknown',
  };
}

/**
 * Checks the session token (and the certificate behind it against the CRL in force) from the
 * headers alone, before any of the body is read. A refusal is answered at once with
 * `Connection: close`, so an unauthenticated sender cannot make the server read, hold or store
 * its body; a small record of it goes to the separate, bounded refusal log, never to the intake
 * writer's queue.
 */
export function authenticate(deps: {
  readonly sessions: SessionService;
  readonly clock: () => Date;
  readonly refusals: RefusalLog;
  readonly route: string;
}): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const now = deps.clock();
    deps.sessions.verify(req.header('authorization'), now).then(
      (claims) => {
        req.session = claims;
        next();
      },
      (error: unknown) => {
        if (error instanceof ServerError || error instanceof PkiError) {
          deps.refusals.record(refusalRecord(req, deps.route, error.code, now));
          res.setHeader('Connection', 'close');
        }
        next(error);
      },
    );
  };
}
