import type { ServerResponse } from 'node:http';
import { LIMITS, READ_METHODS } from './limits.ts';
import { ProblemError } from './problem.ts';

const ALLOW = READ_METHODS.join(', ');

/** The first percent-escape in `url` that does not decode (not hex, or not UTF-8), if any. */
export function malformedEscape(url: string): string | undefined {
  if (!url.includes('%')) return undefined;
  for (const [escape] of url.matchAll(/(?:%[0-9A-Fa-f]{2})+|%.{0,2}/g)) {
    try {
      decodeURIComponent(escape);
    } catch {
      return escape.length > 24 ? `${escape.slice(0, 24)}…` : escape;
    }
  }
  return undefined;
}

/** Why a URL is refused before any route sees it: over LIMITS.maxUrlBytes (414) or with a malformed percent-escape (400). */
export function urlProblem(url: string): ProblemError | undefined {
  const bytes = Buffer.byteLength(url);
  if (bytes > LIMITS.maxUrlBytes)
    return new ProblemError(
      'uri-too-long',
      `the URL has ${bytes} bytes; at most ${LIMITS.maxUrlBytes} are accepted (tRPC clients: set httpBatchLink's maxURLLength to ${LIMITS.maxUrlBytes})`,
    );
  const escape = malformedEscape(url);
  if (escape)
    return new ProblemError(
      'bad-request',
      `the URL has a malformed percent-escape "${escape}": escape each byte of a character's UTF-8 encoding, e.g. %C3%A9 for é`,
    );
  return undefined;
}

/**
 * The API is read-only: GET and HEAD go on to the routes (undefined), OPTIONS (not a CORS preflight,
 * which cors.ts answered) is told what is allowed ('answered'), and any other method is a 405 with `Allow`.
 */
export function methodCheck(method: string | undefined, res: ServerResponse): ProblemError | 'answered' | undefined {
  if (method === 'GET' || method === 'HEAD') return undefined;
  if (method === 'OPTIONS') {
    res.writeHead(204, { Allow: ALLOW }).end();
    return 'answered';
  }
  return new ProblemError('method-not-allowed', `${method} is not allowed: this API is read-only (${ALLOW})`, undefined, { Allow: ALLOW });
}
