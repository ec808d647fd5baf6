import { z } from 'zod';
import type { ApiContext } from '../context.ts';
import { toProblem } from '../invoke.ts';
import { ProblemError } from '../problem.ts';
import { defineRoute } from './route.ts';

const health = z.object({
  status: z.literal('ok'),
  database: z.literal('up'),
  latency_ms: z.number().nonnegative().describe('time to read a row of every table the API serves'),
});

/** `probe` reads one row of every table the API serves: it fails (or waits) when any of them cannot be read. */
export const healthRoute = (probe: (ctx: ApiContext) => Promise<void>) =>
  defineRoute({
    method: 'GET',
    path: '/health',
    operationId: 'health',
    summary: 'Database health: reads a row of every table the API serves, within the query timeout',
    output: { name: 'Health', description: 'The database answers', schema: health },
    problems: { unavailable: 'The database does not answer, or not in time; `detail` says why' },
    cacheControl: 'no-store',
    // the deadline (invoke.ts) makes a locked table a 503 too
    async handle(ctx) {
      const started = performance.now();
      try {
        await probe(ctx);
      } catch (error) {
        const problem = toProblem(error, ctx);
        // for a health check any failure means "cannot serve", e.g. a missing table
        throw problem.kind === 'internal' ? new ProblemError('unavailable', 'the database cannot serve the API: a read failed') : problem;
      }
      return { status: 'ok' as const, database: 'up' as const, latency_ms: Math.round((performance.now() - started) * 10) / 10 };
    },
  });
