import type { ApiContext } from './context.ts';
import { databaseUnavailableReason } from './database-errors.ts';
import { internalProblem, ProblemError } from './problem.ts';
import type { Route } from './routes/route.ts';

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * Runs a route's handler for REST and tRPC alike, so both answer the same way, and throws nothing
 * but ProblemErrors:
 * - within `ctx.queryTimeoutMs` (PostgreSQL cancels the statement at the same bound through
 *   statement_timeout; PGlite cannot cancel, so there only the response is bounded);
 * - a database that cannot answer is a 503 problem saying why, in words safe for clients;
 * - anything unexpected is logged with the request id and becomes a generic 500: no message,
 *   path, SQL or stack reaches the client.
 * `input` has been validated by the caller (REST: rest.ts; tRPC: the procedure's input parser).
 */
export async function runRoute(route: Route, ctx: ApiContext, input?: unknown): Promise<unknown> {
  const work = Promise.resolve().then(() => (route.input ? route.handle(ctx, input) : route.handle(ctx)));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ProblemError('unavailable', `the database did not answer within ${seconds(ctx.queryTimeoutMs)}`)),
      ctx.queryTimeoutMs,
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } catch (error) {
    work.catch(() => {}); // past the deadline its outcome no longer matters
    throw toProblem(error, ctx);
  } finally {
    clearTimeout(timer);
  }
}

/** Any error as the problem a client may see; unexpected ones are logged in full. */
export function toProblem(error: unknown, ctx: Pick<ApiContext, 'logger' | 'requestId'>): ProblemError {
  if (error instanceof ProblemError) return error;
  const reason = databaseUnavailableReason(error);
  if (reason) {
    ctx.logger.warn({ request_id: ctx.requestId, err: error }, `database unavailable: ${reason}`);
    return new ProblemError('unavailable', `the database is unavailable: ${reason}`);
  }
  ctx.logger.error({ request_id: ctx.requestId, err: error }, 'request failed');
  return internalProblem();
}
