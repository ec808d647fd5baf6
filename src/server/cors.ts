import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import { addVary } from './vary.ts';
import { LIMITS, READ_METHODS } from './limits.ts';
import { ProblemError } from './problem.ts';

/** Response headers a browser script may read. */
const EXPOSED_HEADERS = ['X-Request-Id', 'X-Total-Count', 'Link', 'Retry-After'];

/** With a list of origins the answer depends on the request's Origin; with `*` or none it does not. */
export const variesByOrigin = (origins: readonly string[]) => origins.length > 0 && !origins.includes('*');

/**
 * Which browser origins may call the API: `*` for any, a list, or none (empty). A preflight from
 * an origin not allowed gets a 403 problem without any Access-Control-Allow-* header; with a
 * list, every response varies by Origin (so caches keep allowed and refused answers apart).
 * `next` is called, synchronously, unless the request was a preflight the policy answered.
 */
export function corsPolicy(origins: readonly string[]) {
  const any = origins.includes('*');
  const varies = variesByOrigin(origins);
  const allowed = (origin: string) => any || origins.includes(origin);
  const grant = cors({
    origin: any ? '*' : [...origins],
    methods: [...READ_METHODS],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: LIMITS.corsMaxAgeSeconds,
    optionsSuccessStatus: 204,
  });
  return (req: IncomingMessage, res: ServerResponse, next: (problem?: ProblemError) => void): void => {
    if (varies) addVary(res, 'Origin');
    const origin = req.headers.origin;
    if (req.method === 'OPTIONS' && origin !== undefined && req.headers['access-control-request-method'] !== undefined && !allowed(origin))
      return next(
        new ProblemError(
          'origin-not-allowed',
          `origin ${origin} may not call this API from a browser (the server's allowed origins are set with ecom serve --cors)`,
        ),
      );
    if (origins.length === 0) return next();
    grant(req, res, () => next());
  };
}
