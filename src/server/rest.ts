import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import { requestContext } from './requests.ts';
import { runRoute } from './invoke.ts';
import { IGNORED_QUERY_PARAMETERS } from './limits.ts';
import { invalidParameters, parameterErrors, type ParameterError } from './problem.ts';
import { noParameters } from './parameters.ts';
import { pathParameters, type PageInfo, type Route } from './routes/route.ts';

/** `/orders/{id}` (OpenAPI) as Express writes it: `/orders/:id`. */
const expressPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/**
 * The route's input from the path and the query string, validated against the one schema; throws an
 * invalid-parameters ProblemError. Every route refuses unknown query parameters (those without input
 * too), except the cache-busters in IGNORED_QUERY_PARAMETERS.
 */
function parseInput(route: Route, req: Request): unknown {
  const query = Object.entries(req.query as Record<string, string | string[]>).filter(([k]) => !IGNORED_QUERY_PARAMETERS.includes(k));
  const errors: ParameterError[] = [];
  // with the simple query parser a repeated parameter arrives as an array
  for (const [k, v] of query) if (Array.isArray(v)) errors.push({ parameter: k, message: `${k} must be given once` });
  const inPath = pathParameters(route.path);
  for (const [k] of query)
    if (inPath.includes(k)) errors.push({ parameter: k, message: `${k} is part of the path; leave it out of the query string` });
  if (errors.length > 0) throw invalidParameters(errors);
  const schema: z.ZodType = route.input ?? noParameters;
  const result = schema.safeParse({ ...Object.fromEntries(query), ...req.params });
  if (!result.success) throw invalidParameters(parameterErrors(result.error));
  return result.data;
}

/** RFC 8288 links to the neighbouring pages, relative to the request (same query, other skip). */
function pageLinks(req: Request, { skip, limit, total }: PageInfo): string | undefined {
  const link = (rel: string, at: number) => {
    const query = new URLSearchParams(req.query as Record<string, string>);
    query.set('skip', String(at));
    query.set('limit', String(limit));
    return `<${req.baseUrl}${req.path}?${query}>; rel="${rel}"`;
  };
  const links = [
    ...(skip > 0 ? [link('prev', Math.max(0, Math.min(skip, total) - limit))] : []),
    ...(skip + limit < total ? [link('next', skip + limit)] : []),
  ];
  return links.length > 0 ? links.join(', ') : undefined;
}

function send(route: Route, req: Request, res: Response, output: unknown) {
  res.set('Cache-Control', route.cacheControl ?? 'no-cache');
  if (route.paginated) {
    const page = output as PageInfo;
    res.set('X-Total-Count', String(page.total));
    const links = pageLinks(req, page);
    if (links) res.set('Link', links);
  }
  res.json(output);
}

/** Registers every route; a ProblemError reaches app.ts's error handler, which renders it. */
export function restRouter(routes: readonly Route[]): Router {
  const router = Router();
  for (const route of routes) {
    router[route.method.toLowerCase() as Lowercase<Route['method']>](expressPath(route.path), async (req, res) => {
      const input = parseInput(route, req);
      send(route, req, res, await runRoute(route, requestContext(res), input));
    });
  }
  return router;
}
