import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import { runRoute } from '../invoke.ts';
import type { ProblemError } from '../problem.ts';
import type { RouteWithInput } from '../routes/route.ts';
import { publicProcedure } from '../trpc.ts';

/**
 * A route as a tRPC query: same input schema (parsed once, by tRPC), same handler run the same way
 * as over REST (invoke.ts); its problems become tRPC error codes.
 */
export function routeProcedure<In extends z.ZodType, Out extends z.ZodType>(route: RouteWithInput<In, Out>) {
  return publicProcedure.input(route.input).query(async ({ ctx, input }) => {
    try {
      // tRPC's input type for a zod schema is the schema's output, which it cannot prove for a generic one
      return (await runRoute(route, ctx, input)) as z.output<Out>;
    } catch (e) {
      const problem = e as ProblemError; // all runRoute throws
      throw new TRPCError({ code: problem.trpcCode, message: problem.message, cause: problem });
    }
  });
}
