import { createExpressMiddleware } from '@trpc/server/adapters/express';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Api } from './api.ts';
import { createApiContext, type ApiContextOptions } from './context.ts';
import { variesByOrigin } from './cors.ts';
import { CONTENT_SECURITY_POLICY, docsRouter } from './docs.ts';
import { toProblem } from './invoke.ts';
import { LIMITS } from './limits.ts';
import { MOUNTS } from './mounts.ts';
import { ProblemError, sendProblem, type ProblemKind } from './problem.ts';
import { REPORT_PATH, reportRouter } from './report-route.ts';
import { requestContext } from './requests.ts';
import { frontDoor, type RequestListener } from './front.ts';

export interface AppOptions extends ApiContextOptions {
  logger: Logger;
  /** Allowed CORS origins; '*' for any; empty for none. */
  corsOrigins: string[];
  /** The `ecom report` page served at /report. */
  reportFile?: string | undefined;
  /** What is served (api.ts). */
  api: Api;
}

/**
 * The request listener: the front door (front.ts) with the REST routes, then Express for the pages a
 * browser renders (helmet), tRPC, the report, and the problem documents of whatever reaches it.
 */
export function createApp(options: AppOptions): RequestListener {
  return frontDoor({
    ctx: createApiContext(options),
    corsOrigins: options.corsOrigins,
    routes: options.api.routes,
    others: expressApp(options),
  });
}

function expressApp(options: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // helmet's policies (CSP, frames, referrer, …) are for the pages a browser renders; HSTS belongs to whatever
  // terminates TLS in front of this plain-HTTP server. Data answers get the two that matter for them (front.ts).
  app.use(
    [MOUNTS.docs, MOUNTS.openapi, REPORT_PATH],
    helmet({ contentSecurityPolicy: CONTENT_SECURITY_POLICY, strictTransportSecurity: false }),
  );
  app.use(docsRouter(options.info, options.api));
  app.use(
    MOUNTS.trpc,
    createExpressMiddleware({
      router: options.api.router,
      createContext: ({ res }) => requestContext(res),
      maxBatchSize: LIMITS.maxBatchCalls,
      responseMeta: ({ errors }) => ({
        headers: {
          // tRPC sets its own Vary, replacing the one cors.ts set
          ...(variesByOrigin(options.corsOrigins) ? { vary: ['Origin'] } : {}),
          'Cache-Control': errors.length > 0 ? 'no-store' : 'no-cache',
          ...(errors.some((e) => e.code === 'SERVICE_UNAVAILABLE') ? { 'Retry-After': String(LIMITS.retryAfterSeconds) } : {}),
        },
      }),
      // errors from procedures were logged by invoke.ts; anything else unexpected is logged here
      onError: ({ error, path, ctx: requestCtx }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR' && !(error.cause instanceof ProblemError))
          options.logger.error({ request_id: requestCtx?.requestId, err: error, path }, 'trpc error');
      },
    }),
  );
  app.use(reportRouter(options.reportFile));
  app.use((req, _res, next) => next(new ProblemError('not-found', `no route ${req.method} ${req.path}`)));
  app.use(problemHandler);
  return app;
}

/** Statuses that Express and its middleware (http-errors) report, as problem kinds. */
const HTTP_ERROR_KINDS: Record<number, ProblemKind> = {
  404: 'not-found',
  405: 'method-not-allowed',
  414: 'uri-too-long',
  431: 'headers-too-large',
};

/** A client error Express or a middleware raised (`status` 4xx, `expose`), as a problem; its message is meant for clients. */
function httpClientError(err: unknown): ProblemError | undefined {
  const { status, expose, message } = err as { status?: unknown; expose?: unknown; message?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499 || expose !== true) return undefined;
  return new ProblemError(HTTP_ERROR_KINDS[status] ?? 'bad-request', `the request is malformed: ${String(message)}`);
}

/** Renders every error as a problem document; anything unexpected is logged and reported as a generic 500 with the request id. */
function problemHandler(err: unknown, req: Request, res: Response, next: NextFunction) {
  if (res.headersSent) return next(err); // Express ends the connection
  const ctx = requestContext(res);
  const problem = err instanceof ProblemError ? err : (httpClientError(err) ?? toProblem(err, ctx));
  sendProblem(res, problem, req.originalUrl, ctx.requestId);
}
