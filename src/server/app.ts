import { createExpressMiddleware } from '@trpc/server/adapters/express';
import cors from 'cors';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { createApiContext, type ApiContextOptions } from './context.ts';
import { docsRouter } from './docs.ts';
import { MOUNTS } from './mounts.ts';
import { ProblemError, sendProblem } from './problem.ts';
import { reportRouter } from './report-route.ts';
import { restRouter } from './rest.ts';
import { appRouter } from './routers/app.ts';
import { ROUTES } from './routes/index.ts';

export interface AppOptions extends ApiContextOptions {
  logger: Logger;
  /** Allowed CORS origins; '*' for any; empty for none. */
  corsOrigins: string[];
  /** The `ecom report` page served at /report. */
  reportFile?: string | undefined;
}

export function createApp(options: AppOptions): express.Express {
  const ctx = createApiContext(options);
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestLog(options.logger));
  if (options.corsOrigins.length > 0) app.use(corsFor(options.corsOrigins)); // none: no CORS headers at all
  // Read-only API: anything but GET/HEAD/OPTIONS (and tRPC's POST batches) is refused
  app.use((req, _res, next) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(req.method) || req.path.startsWith(MOUNTS.trpc)) next();
    else next(new ProblemError('method-not-allowed', 'this API is read-only'));
  });
  app.use(docsRouter(options.info));
  app.use(
    MOUNTS.trpc,
    createExpressMiddleware({
      router: appRouter,
      createContext: () => ctx,
      onError: ({ error, path }) => error.code === 'INTERNAL_SERVER_ERROR' && options.logger.error({ err: error, path }, 'trpc error'),
    }),
  );
  app.use(reportRouter(options.reportFile));
  app.use(restRouter(ROUTES, ctx));
  app.use((req, _res, next) => next(new ProblemError('not-found', `no route ${req.method} ${req.path}`)));
  app.use(problemHandler(options.logger));
  return app;
}

/** The browser origins allowed to call the API ('*' for any), for the methods it answers. */
const corsFor = (origins: string[]) =>
  cors({ origin: origins.includes('*') ? '*' : origins, methods: ['GET', 'HEAD', 'POST', 'OPTIONS'], optionsSuccessStatus: 204 });

/** Renders every error as a problem document; anything not thrown as a ProblemError is logged and reported as internal. */
function problemHandler(logger: Logger) {
  return (err: Error, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof ProblemError) return sendProblem(res, err.toProblem(req.originalUrl));
    logger.error({ err, url: req.originalUrl }, 'request failed');
    sendProblem(
      res,
      new ProblemError('internal', 'The server could not complete the request; see the server log.').toProblem(req.originalUrl),
    );
  };
}

/** One log line per request. */
function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    res.on('finish', () =>
      logger.info(
        { method: req.method, url: req.originalUrl, status: res.statusCode, ms: Math.round((performance.now() - started) * 10) / 10 },
        'request',
      ),
    );
    next();
  };
}
