import type { z } from 'zod';
import type { ApiContext } from '../context.ts';
import type { ProblemKind } from '../problem.ts';

/** What a paginated output carries: REST turns it into `Link` and `X-Total-Count`. */
export interface PageInfo {
  total: number;
  skip: number;
  limit: number;
}

/**
 * One API route, described once: REST registers it (rest.ts), tRPC wraps it in a procedure
 * (routers/procedure.ts) and the OpenAPI document lists it (openapi.ts). Every route is run by
 * invoke.ts, which bounds it in time and turns database failures into 503s and anything
 * unexpected into a generic 500.
 */
interface RouteDescription<Out extends z.ZodType> {
  method: 'GET';
  /** OpenAPI style: `{name}` is a path parameter. */
  path: string;
  operationId: string;
  /** The tRPC query serving the same route (`orders.list`); none for routes only REST serves (/, /health). */
  procedure?: string;
  summary: string;
  /** `name` is the schema's name among the OpenAPI components. */
  output: { name: string; description: string; schema: Out };
  /**
   * Problems `handle` may throw (ProblemError), with what they mean here; invalid parameters,
   * internal errors and (unless `offline`) an unavailable database go without saying.
   */
  problems?: Partial<Record<ProblemKind, string>>;
  /** The route never reads the database, so it is never 503. */
  offline?: true;
  /** `Cache-Control` of a 200; default `no-cache` (clients revalidate with the ETag). */
  cacheControl?: string;
  /** The output is a page: REST adds `Link` (next/prev) and `X-Total-Count`. */
  paginated?: z.output<Out> extends PageInfo ? true : never;
}

export interface RouteWithInput<In extends z.ZodType, Out extends z.ZodType> extends RouteDescription<Out> {
  /** An object schema: the path's `{name}`s are path parameters, every other property a query parameter. */
  input: In;
  handle(ctx: ApiContext, input: z.output<In>): Promise<z.output<Out>>;
}

export interface RouteWithoutInput<Out extends z.ZodType> extends RouteDescription<Out> {
  input?: undefined;
  handle(ctx: ApiContext): Promise<z.output<Out>>;
}

export type Route = RouteWithInput<z.ZodType, z.ZodType> | RouteWithoutInput<z.ZodType>;

/** Infers a route's input and output types from its schemas. */
export function defineRoute<In extends z.ZodType, Out extends z.ZodType>(route: RouteWithInput<In, Out>): RouteWithInput<In, Out>;
export function defineRoute<Out extends z.ZodType>(route: RouteWithoutInput<Out>): RouteWithoutInput<Out>;
export function defineRoute(route: Route): Route {
  return route;
}

/** The names in `{…}` in an OpenAPI path. */
export const pathParameters = (path: string): string[] => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
