import type { z } from 'zod';
import type { ApiContext } from '../context.ts';
import type { ProblemKind } from '../problem.ts';

/**
 * One API route, described once: REST registers it (rest.ts), tRPC wraps it in a procedure
 * (routers/procedure.ts) and the OpenAPI document lists it (openapi.ts).
 */
interface RouteDescription<Out extends z.ZodType> {
  method: 'GET';
  /** OpenAPI style: `{name}` is a path parameter. */
  path: string;
  operationId: string;
  summary: string;
  /** `name` is the schema's name among the OpenAPI components. */
  output: { name: string; description: string; schema: Out };
  /** Problems `handle` may throw (ProblemError), with what they mean here; invalid input and internal errors go without saying. */
  problems?: Partial<Record<ProblemKind, string>>;
}

/** Validated before `handle` runs; over REST it is read from the query string or the path parameters. */
export interface RouteInput<In extends z.ZodType = z.ZodType> {
  from: 'query' | 'path';
  schema: In;
}

export interface RouteWithInput<In extends z.ZodType, Out extends z.ZodType> extends RouteDescription<Out> {
  input: RouteInput<In>;
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
