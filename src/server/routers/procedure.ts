import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import { ProblemError } from '../problem.ts';
import type { RouteWithInput } from '../routes/route.ts';
import { publicProcedure } from '../trpc.ts';

/** A route as a tRPC query: same input schema (parsed once, by tRPC), same handler; its problems become tRPC error codes. */
export function routeProcedure<In extends z.ZodType, Out extends z.ZodType>(route: RouteWithInput<In, Out>) {
  return publicProcedure.input(route.input.schema).query(async ({ ctx, input }) => {
    try {
      // tRPC's input type for a zod schema is the schema's output, which it cannot prove for a generic one
      return await route.handle(ctx, input as z.output<In>);
    } catch (e) {
      if (e instanceof ProblemError) throw new TRPCError({ code: e.trpcCode, message: e.message, cause: e });
      throw e;
    }
  });
}
