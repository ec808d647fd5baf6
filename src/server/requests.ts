import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { forRequest, type ApiContext } from './context.ts';
import { REQUEST_ID_PATTERN } from './limits.ts';

/** Where a response keeps its request's context: a property, so reading it costs no lookup. */
const CONTEXT = Symbol('ecom.requestContext');
type Tracked = ServerResponse & { [CONTEXT]?: ApiContext };

/** A sane incoming `X-Request-Id` is kept (a proxy's id ties its log to ours); otherwise a new UUID. */
function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
}

/**
 * Gives each request its id (`X-Request-Id` on the response, `request_id` in the log and in
 * every error) and its context, and writes one log line when the response is finished.
 */
export function requestTracking(base: ApiContext) {
  return (req: IncomingMessage, res: ServerResponse): ApiContext => {
    const started = performance.now();
    const url = req.url; // as received: Express rewrites req.url under a mount point (/trpc)
    const requestId = requestIdOf(req);
    const ctx = forRequest(base, requestId);
    (res as Tracked)[CONTEXT] = ctx;
    res.setHeader('X-Request-Id', requestId);
    res.once('finish', () =>
      base.logger.info(
        {
          request_id: requestId,
          method: req.method,
          url,
          status: res.statusCode,
          ms: Math.round((performance.now() - started) * 10) / 10,
        },
        'request',
      ),
    );
    return ctx;
  };
}

/** The request's context, set by requestTracking. */
export const requestContext = (res: ServerResponse): ApiContext => (res as Tracked)[CONTEXT]!;
