import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import type { OrdersService } from './orders-service.ts';
import { listOrdersInput, orderIdInput, statsInput } from './schemas.ts';

export interface Context {
  orders: OrdersService;
}

const t = initTRPC.context<Context>().create({
  errorFormatter: ({ shape, error }) => ({
    ...shape,
    data: {
      ...shape.data,
      stack: undefined,
      issues:
        error.cause instanceof ZodError ? error.cause.issues.map((i) => ({ parameter: i.path.join('.'), message: i.message })) : undefined,
    },
  }),
});

/** The same service functions and input schemas as the REST routes: one implementation, two transports. */
export const appRouter = t.router({
  orders: t.router({
    list: t.procedure.input(listOrdersInput).query(({ ctx, input }) => ctx.orders.list(input)),
    byId: t.procedure.input(orderIdInput).query(async ({ ctx, input }) => {
      const order = await ctx.orders.byId(input.id);
      if (!order) throw new TRPCError({ code: 'NOT_FOUND', message: `order ${input.id} does not exist` });
      return order;
    }),
    stats: t.procedure.input(statsInput.optional()).query(({ ctx, input }) => ctx.orders.stats(statsInput.parse(input ?? {}))),
  }),
});

export type AppRouter = typeof appRouter;
