import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { openApiDocument } from './openapi.ts';
import { ordersService } from './orders-service.ts';
import { internalError, notFound, sendProblem } from './problem.ts';
import { restRouter, type ApiInfo } from './rest.ts';
import { appRouter } from './trpc.ts';

export interface AppOptions {
  prisma: PrismaClient;
  info: ApiInfo;
  logger: Logger;
  /** Allowed CORS origins; '*' for any; empty for none. */
  corsOrigins: string[];
  /** How long totals and stats may be reused (ms); 0 computes them for every request. */
  cacheMs?: number;
}

const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>ecom API docs</title><link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body></html>`;

export function createApp(options: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestLog(options.logger));
  app.use(cors(options.corsOrigins));
  // Read-only API: anything but GET/HEAD/OPTIONS (and tRPC's POST batches) is refused
  app.use((req, res, next) =>
    ['GET', 'HEAD', 'OPTIONS'].includes(req.method) || req.path.startsWith('/trpc')
      ? next()
      : sendProblem(res, {
          type: 'https://ecom.dev/problems/method-not-allowed',
          title: 'Method not allowed',
          status: 405,
          detail: 'this API is read-only',
          instance: req.originalUrl,
        }),
  );

  const orders = ordersService(options.prisma, { ...(options.cacheMs !== undefined ? { cacheMs: options.cacheMs } : {}) });
  const doc = openApiDocument(options.info);
  app.get('/openapi.json', (_req, res) => void res.json(doc));
  app.get('/docs', (_req, res) => void res.type('html').send(DOCS_PAGE));
  app.get(
    '/docs/init.js',
    (_req, res) => void res.type('js').send("window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui' });\n"),
  );
  app.use('/docs/assets', express.static(swaggerDir, { index: false, maxAge: '1h' }));
  app.use(
    '/trpc',
    createExpressMiddleware({
      router: appRouter,
      createContext: () => ({ orders }),
      onError: ({ error, path }) => error.code === 'INTERNAL_SERVER_ERROR' && options.logger.error({ err: error, path }, 'trpc error'),
    }),
  );
  app.use(restRouter(options.prisma, orders, options.info));
  app.use((req, res) => sendProblem(res, notFound(`no route ${req.method} ${req.path}`, req.originalUrl)));
  app.use((err: Error, req: Request, res: Response, _next: NextFunction) => {
    options.logger.error({ err, url: req.originalUrl }, 'request failed');
    sendProblem(res, internalError(req.originalUrl));
  });
  return app;
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

function cors(origins: string[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (origin && (origins.includes('*') || origins.includes(origin))) {
      res.setHeader('Access-Control-Allow-Origin', origins.includes('*') ? '*' : origin);
      res.setHeader('Vary', 'Origin');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, POST, OPTIONS');
        res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? 'content-type');
        res.status(204).end();
        return;
      }
    }
    next();
  };
}
