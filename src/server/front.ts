import type { IncomingMessage, ServerResponse } from 'node:http';
import compression from 'compression';
import type { Request, Response } from 'express';
import type { ApiContext } from './context.ts';
import { corsPolicy } from './cors.ts';
import { methodCheck, urlProblem } from './guards.ts';
import { sendProblem, type ProblemError } from './problem.ts';
import { requestTracking } from './requests.ts';
import { restRoutes } from './rest.ts';
import type { Route } from './routes/route.ts';
import { addVary } from './vary.ts';

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface FrontOptions {
  ctx: ApiContext;
  corsOrigins: string[];
  /** The routes served by REST (rest.ts). */
  routes: readonly Route[];
  /** Everything else: the docs, tRPC, the report and the 404s (Express, app.ts). */
  others: RequestListener;
}

/**
 * What every response gets and every request goes through, on Node's `http` objects: its id and log
 * line, the data headers, gzip when accepted, the CORS policy, the URL and method checks; then the
 * REST routes answer their paths directly and the rest goes on to Express.
 */
export function frontDoor({ ctx: base, corsOrigins, routes, others }: FrontOptions): RequestListener {
  const track = requestTracking(base);
  const compress = compressWhenAccepted();
  const cors = corsPolicy(corsOrigins);
  const serveRoute = restRoutes(routes);
  return (req, res) => {
    const ctx = track(req, res);
    for (const [name, value] of DATA_HEADERS) res.setHeader(name, value);
    const refuse = (problem: ProblemError) => sendProblem(res, problem, req.url ?? '/', ctx.requestId);
    compress(req, res, () =>
      cors(req, res, (refused) => {
        if (refused) return refuse(refused);
        const badUrl = urlProblem(req.url ?? '/');
        if (badUrl) return refuse(badUrl);
        const method = methodCheck(req.method, res);
        if (method === 'answered') return;
        if (method) return refuse(method);
        if (!serveRoute(req, res, ctx)) others(req, res);
      }),
    );
  };
}

/**
 * What helmet would say about a JSON answer that matters for it: never sniffed as script or style, and not
 * readable by another site's no-cors request (`<script src>`, `<img>`); CORS requests are not affected.
 * helmet's full set is for the pages a browser renders (app.ts).
 */
const DATA_HEADERS = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
] as const;

/**
 * gzip (compression) for the clients that ask for it; the others skip its wrapping of the response and
 * are only told, as compression would, that the answer depends on Accept-Encoding.
 */
function compressWhenAccepted() {
  const compress = compression();
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    // compression works on Node's objects; its types name Express's
    if (req.headers['accept-encoding']) return compress(req as Request, res as Response, next);
    addVary(res, 'Accept-Encoding');
    next();
  };
}
