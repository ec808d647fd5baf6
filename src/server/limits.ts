/**
 * The API's bounds, in one place: the server enforces them (app.ts, server.ts, schemas.ts,
 * the tRPC adapter), the OpenAPI document states them and the tests read them from here.
 */
export const LIMITS = {
  /** Keys are PostgreSQL `integer` (int4) columns: ids and integer parameters stay in 1..2^31-1. */
  int4Max: 2_147_483_647,
  /** Rows in one page of a list (`limit`). */
  maxPageSize: 100,
  /** Calls in one tRPC batch (set httpBatchLink's `maxItems` to this or less). */
  maxBatchCalls: 10,
  /** Request line's URL, in bytes (set httpBatchLink's `maxURLLength` to this or less); longer is 414. */
  maxUrlBytes: 4096,
  /** All request headers together, in bytes (Node's default); more is 431. */
  maxHeaderBytes: 16_384,
  /** Default per-request database deadline (`ecom serve --query-timeout`): PostgreSQL's statement_timeout and the response deadline. */
  queryTimeoutMs: 5_000,
  /** `Retry-After` on 503 answers, in seconds. */
  retryAfterSeconds: 5,
  /**
   * After SIGTERM the server keeps accepting (answering with `Connection: close`) this long, and
   * then until its listen backlog is empty, so queued connections are answered rather than reset.
   */
  shutdownAcceptMs: 100,
  /** After SIGTERM, how long in-flight requests may take before their connections are closed. */
  shutdownGraceMs: 10_000,
  /** How long browsers may cache a CORS preflight answer, in seconds. */
  corsMaxAgeSeconds: 600,
} as const;

/** Query parameters every route ignores: jQuery-style cache-busters (`?_=1700000000`). */
export const IGNORED_QUERY_PARAMETERS: readonly string[] = ['_'];

/** The read-only API answers these methods on every path; anything else is 405. */
export const READ_METHODS = ['GET', 'HEAD', 'OPTIONS'] as const;

/** An `X-Request-Id` the client sends is kept when it looks like an id: 1-128 printable characters, no spaces or quotes. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:@/+=-]{1,128}$/;
