import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { forRequest, type ApiContext } from './context.ts';
import { REQUEST_ID_PATTERN } from './limits.ts';

/** A sane incoming `X-Request-Id` is kept (a proxy's id ties its log to ours); otherwise a new UUID. */
function requestIdOf(req: Request): string {
  const given = req.get('x-request-id');
  return given && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
}

/**
 * Gives each request its id (`X-Request-Id` on the response, `request_id` in the log and in
 * every error) and its context, and writes one log line when the response is finished.
 */
export function requestTracking(base: ApiContext) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    const requestId = requestIdOf(req);
    res.locals.ctx = forRequest(base, requestId);
    res.setHeader('X-Request-Id', requestId);
    res.on('finish', () =>
      base.logger.info(
        {
          request_id: requestId,
          method: req.method,
          url: req.originalUrl,
          status: res.statusCode,
          ms: Math.round((performance.now() - started) * 10) / 10,
        },
        'request',
      ),
    );
    next();
  };
}

/** The request's context, set by requestTracking. */
export const requestContext = (res: Response): ApiContext => res.locals.ctx as ApiContext;
