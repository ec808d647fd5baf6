import type { NextFunction, Request, Response } from 'express';
import { LIMITS, READ_METHODS } from './limits.ts';
import { ProblemError } from './problem.ts';

const ALLOW = READ_METHODS.join(', ');

/** The first percent-escape in `url` that does not decode (not hex, or not UTF-8), if any. */
export function malformedEscape(url: string): string | undefined {
  for (const [escape] of url.matchAll(/(?:%[0-9A-Fa-f]{2})+|%.{0,2}/g)) {
    try {
      decodeURIComponent(escape);
    } catch {
      return escape.length > 24 ? `${escape.slice(0, 24)}…` : escape;
    }
  }
  return undefined;
}

/** Refuses a URL over LIMITS.maxUrlBytes (414) or with a malformed percent-escape (400), before any route sees it. */
export function urlGuard(req: Request, _res: Response, next: NextFunction): void {
  const bytes = Buffer.byteLength(req.originalUrl);
  if (bytes > LIMITS.maxUrlBytes)
    return next(
      new ProblemError(
        'uri-too-long',
        `the URL has ${bytes} bytes; at most ${LIMITS.maxUrlBytes} are accepted (tRPC clients: set httpBatchLink's maxURLLength to ${LIMITS.maxUrlBytes})`,
      ),
    );
  const escape = malformedEscape(req.originalUrl);
  if (escape)
    return next(
      new ProblemError(
        'bad-request',
        `the URL has a malformed percent-escape "${escape}": escape each byte of a character's UTF-8 encoding, e.g. %C3%A9 for é`,
      ),
    );
  next();
}

/**
 * The API is read-only: GET and HEAD go on to the routes, OPTIONS (not a CORS preflight, which
 * cors.ts answered) is told what is allowed, and any other method is a 405 with `Allow`.
 */
export function methodGuard(req: Request, res: Response, next: NextFunction): void {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  if (req.method === 'OPTIONS') return void res.set('Allow', ALLOW).status(204).end();
  next(
    new ProblemError('method-not-allowed', `${req.method} is not allowed: this API is read-only (${ALLOW})`, undefined, { Allow: ALLOW }),
  );
}
