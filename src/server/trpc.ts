import { initTRPC } from '@trpc/server';
import { ZodError } from 'zod';
import type { ApiContext } from './context.ts';
import { parameterErrors } from './problem.ts';

const t = initTRPC.context<ApiContext>().create({
  // clients get the same parameter errors as REST problems, and never a stack
  errorFormatter: ({ shape, error }) => ({
    ...shape,
    data: { ...shape.data, stack: undefined, issues: error.cause instanceof ZodError ? parameterErrors(error.cause) : undefined },
  }),
});

export const router = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;
