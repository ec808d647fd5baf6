import { Router, type Request } from 'express';
import type { ApiContext } from './context.ts';
import { invalidParameters, parameterErrors } from './problem.ts';
import type { Route, RouteInput } from './routes/route.ts';

/** `/orders/{id}` (OpenAPI) as Express writes it: `/orders/:id`. */
const expressPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/** The route's input from the query string or path, validated; throws an invalid-parameters ProblemError. */
function parseInput({ from, schema }: RouteInput, req: Request): unknown {
  const raw: Record<string, unknown> = from === 'query' ? req.query : req.params;
  // with the simple query parser a repeated parameter arrives as an array
  const repeated = Object.keys(raw).filter((k) => Array.isArray(raw[k]));
  if (repeated.length > 0) throw invalidParameters(repeated.map((p) => ({ parameter: p, message: `${p} must be given once` })));
  const result = schema.safeParse(raw);
  if (!result.success) throw invalidParameters(parameterErrors(result.error));
  return result.data;
}

/** Registers every route; a ProblemError a handler throws reaches app.ts's error handler, which renders it. */
export function restRouter(routes: readonly Route[], ctx: ApiContext): Router {
  const router = Router();
  for (const route of routes) {
    router[route.method.toLowerCase() as Lowercase<Route['method']>](expressPath(route.path), async (req, res) => {
      res.json(await (route.input ? route.handle(ctx, parseInput(route.input, req)) : route.handle(ctx)));
    });
  }
  return router;
}
