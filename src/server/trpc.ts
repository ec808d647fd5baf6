import { initTRPC } from '@trpc/server';
import { ZodError } from 'zod';
import type { ApiContext } from './context.ts';
import { LIMITS } from './limits.ts';
import { INTERNAL_DETAIL, parameterErrors, ProblemError } from './problem.ts';

/** What tRPC says when a batch exceeds `maxBatchSize`; replaced by a message with the limit. */
const TRPC_BATCH_MESSAGE = 'Batch call exceeds maximum size';

const t = initTRPC.context<ApiContext>().create({
  // Clients get the same parameter errors as REST problems, a readable message, the request id,
  // and never a stack or an unexpected error's message (those are in the server log).
  errorFormatter: ({ shape, error, ctx }) => {
    const issues = error.cause instanceof ZodError ? parameterErrors(error.cause) : undefined;
    const unexpected = error.code === 'INTERNAL_SERVER_ERROR' && !(error.cause instanceof ProblemError);
    const message = issues
      ? issues.map((i) => i.message).join('; ')
      : unexpected
        ? INTERNAL_DETAIL
        : error.message === TRPC_BATCH_MESSAGE
          ? `a batch may hold at most ${LIMITS.maxBatchCalls} calls (tRPC clients: set httpBatchLink's maxItems to ${LIMITS.maxBatchCalls})`
          : shape.message;
    return { ...shape, message, data: { ...shape.data, stack: undefined, issues, request_id: ctx?.requestId } };
  },
});

export const router = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;
