import { ProblemError } from '../problem.ts';
import { health } from '../schemas.ts';
import { defineRoute } from './route.ts';

const TIMEOUT_MS = 2000;

export const healthRoute = defineRoute({
  method: 'GET',
  path: '/health',
  operationId: 'health',
  summary: 'Database health check',
  output: { name: 'Health', description: 'The database answers', schema: health },
  problems: { unavailable: 'The database does not answer' },
  async handle({ prisma }) {
    const started = performance.now();
    try {
      await Promise.race([
        prisma.$queryRaw`SELECT 1`,
        new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS).unref()),
      ]);
    } catch (e) {
      throw new ProblemError('unavailable', `the database does not answer: ${(e as Error).message.split('\n')[0]}`);
    }
    return { status: 'ok' as const, database: 'up' as const, latency_ms: Math.round((performance.now() - started) * 10) / 10 };
  },
});
