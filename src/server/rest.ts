import { createHash } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { parse as parseQuery, type ParsedUrlQuery } from 'node:querystring';
import type { z } from 'zod';
import type { ApiContext } from './context.ts';
import { runRoute, toProblem } from './invoke.ts';
import { IGNORED_QUERY_PARAMETERS } from './limits.ts';
import { noParameters } from './parameters.ts';
import { invalidParameters, parameterErrors, sendProblem, type ParameterError } from './problem.ts';
import { pathParameters, type PageInfo, type Route } from './routes/route.ts';

/**
 * The REST side of the routes, on Node's `http` objects: the data routes are the hot path, and
 * Express's router, `req`/`res` decoration and `res.json` cost more per request than the query itself
 * (README, Benchmarks). Matching, parameters, ETag and 304s follow what Express did for them: paths
 * match without regard to case and with an optional trailing slash, path parameters are
 * percent-decoded, the query string is read by Node's `querystring` (Express's "simple" parser).
 */

/** A path segment: literal text (lower-case) or the name of a path parameter. */
type Segment = { literal: string } | { parameter: string };

interface CompiledRoute {
  route: Route;
  segments: Segment[];
  inPath: string[];
}

function compile(route: Route): CompiledRoute {
  const segments = route.path
    .split('/')
    .slice(1)
    .map((s): Segment => (/^\{\w+\}$/.test(s) ? { parameter: s.slice(1, -1) } : { literal: s.toLowerCase() }));
  return { route, segments, inPath: pathParameters(route.path) };
}

/** The route serving `path` and its path parameters (decoded), if any. */
function matcher(routes: readonly Route[]) {
  // by number of segments: a request is compared with the few routes as deep as its path
  const byDepth = new Map<number, CompiledRoute[]>();
  for (const route of routes.map(compile)) byDepth.set(route.segments.length, [...(byDepth.get(route.segments.length) ?? []), route]);
  return (path: string): { compiled: CompiledRoute; params: Record<string, string> } | undefined => {
    const parts = (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path).split('/');
    parts.shift(); // before the leading slash
    candidates: for (const compiled of byDepth.get(parts.length) ?? []) {
      const params: Record<string, string> = {};
      for (let i = 0; i < parts.length; i++) {
        const segment = compiled.segments[i]!;
        const part = parts[i]!;
        if ('literal' in segment) {
          if (part.toLowerCase() !== segment.literal) continue candidates;
        } else {
          if (part === '') continue candidates;
          params[segment.parameter] = decodeURIComponent(part); // the URL guard refused malformed escapes
        }
      }
      return { compiled, params };
    }
    return undefined;
  };
}

/**
 * The route's input from the path and the query string, validated against the one schema; throws an
 * invalid-parameters ProblemError. Every route refuses unknown query parameters (those without input
 * too), except the cache-busters in IGNORED_QUERY_PARAMETERS.
 */
function parseInput({ route, inPath }: CompiledRoute, query: ParsedUrlQuery, params: Record<string, string>): unknown {
  const given = Object.entries(query).filter(([k]) => !IGNORED_QUERY_PARAMETERS.includes(k));
  const errors: ParameterError[] = [];
  // Node's querystring gives a repeated parameter as an array
  for (const [k, v] of given) if (Array.isArray(v)) errors.push({ parameter: k, message: `${k} must be given once` });
  for (const [k] of given)
    if (inPath.includes(k)) errors.push({ parameter: k, message: `${k} is part of the path; leave it out of the query string` });
  if (errors.length > 0) throw invalidParameters(errors);
  const schema: z.ZodType = route.input ?? noParameters;
  const result = schema.safeParse({ ...Object.fromEntries(given), ...params });
  if (!result.success) throw invalidParameters(parameterErrors(result.error));
  return result.data;
}

/** RFC 8288 links to the neighbouring pages, relative to the request (same query, other skip). */
function pageLinks(path: string, query: ParsedUrlQuery, { skip, limit, total }: PageInfo): string | undefined {
  const link = (rel: string, at: number) => {
    const params = new URLSearchParams(query as Record<string, string>);
    params.set('skip', String(at));
    params.set('limit', String(limit));
    return `<${path}?${params}>; rel="${rel}"`;
  };
  const links = [
    ...(skip > 0 ? [link('prev', Math.max(0, Math.min(skip, total) - limit))] : []),
    ...(skip + limit < total ? [link('next', skip + limit)] : []),
  ];
  return links.length > 0 ? links.join(', ') : undefined;
}

/** A weak validator of the body, in the form Express gives it (`etag`: length and SHA-1). */
function entityTag(body: string): string {
  const hash = createHash('sha1').update(body, 'utf8').digest('base64').slice(0, 27);
  return `W/"${Buffer.byteLength(body).toString(16)}-${hash}"`;
}

/** Whether the client's copy is current (`If-None-Match`, weak comparison), unless it asks to skip caches. */
function isFresh(req: IncomingMessage, etag: string): boolean {
  const noneMatch = req.headers['if-none-match'];
  if (!noneMatch) return false;
  if (/(?:^|,)\s*no-cache\s*(?:,|$)/.test(req.headers['cache-control'] ?? '')) return false;
  if (noneMatch.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return noneMatch.split(',').some((tag) => opaque(tag) === opaque(etag));
}

/** A 200 with its JSON body (HEAD: headers only), or a 304 when the client has it: one write. */
function send(req: IncomingMessage, res: ServerResponse, route: Route, output: unknown, path: string, query: ParsedUrlQuery) {
  const body = JSON.stringify(output);
  const etag = entityTag(body);
  const headers: OutgoingHttpHeaders = { 'Cache-Control': route.cacheControl ?? 'no-cache', ETag: etag };
  if (route.paginated) {
    const page = output as PageInfo;
    headers['X-Total-Count'] = String(page.total);
    const links = pageLinks(path, query, page);
    if (links) headers.Link = links;
  }
  if (isFresh(req, etag)) return void res.writeHead(304, headers).end();
  headers['Content-Type'] = 'application/json; charset=utf-8';
  headers['Content-Length'] = Buffer.byteLength(body);
  res.writeHead(200, headers).end(body);
}

/**
 * Serves every route (GET and HEAD, which the method check let through): returns false when none
 * serves the request's path. Problems become problem documents; runRoute bounds the route in time.
 */
export function restRoutes(routes: readonly Route[]) {
  const match = matcher(routes);
  return (req: IncomingMessage, res: ServerResponse, ctx: ApiContext): boolean => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const found = match(path);
    if (!found) return false;
    const query = parseQuery(q < 0 ? '' : url.slice(q + 1));
    const { compiled, params } = found;
    void (async () => {
      try {
        const input = parseInput(compiled, query, params);
        send(req, res, compiled.route, await runRoute(compiled.route, ctx, input), path, query);
      } catch (error) {
        sendProblem(res, toProblem(error, ctx), url, ctx.requestId);
      }
    })();
    return true;
  };
}
