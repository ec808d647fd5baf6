import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import type { Response } from 'express';
import { z, type ZodError } from 'zod';

/** Every problem's `type` is this base followed by its kind. */
const PROBLEM_TYPE_BASE = 'https://ecom.dev/problems/';

/** Each kind of problem the API answers with, and what it means over REST (status) and tRPC (code). */
const PROBLEM_KINDS = {
  'invalid-parameters': { title: 'Invalid request parameters', status: 400, trpcCode: 'BAD_REQUEST' },
  'not-found': { title: 'Not found', status: 404, trpcCode: 'NOT_FOUND' },
  'method-not-allowed': { title: 'Method not allowed', status: 405, trpcCode: 'METHOD_NOT_SUPPORTED' },
  internal: { title: 'Internal server error', status: 500, trpcCode: 'INTERNAL_SERVER_ERROR' },
  unavailable: { title: 'Service unavailable', status: 503, trpcCode: 'SERVICE_UNAVAILABLE' },
} as const satisfies Record<string, { title: string; status: number; trpcCode: TRPC_ERROR_CODE_KEY }>;

export type ProblemKind = keyof typeof PROBLEM_KINDS;

export const problemStatus = (kind: ProblemKind) => PROBLEM_KINDS[kind].status;

const parameterError = z.object({ parameter: z.string(), message: z.string() });
export type ParameterError = z.infer<typeof parameterError>;

/** An RFC 9457 problem document. */
export const problemSchema = z.object({
  type: z.url(),
  title: z.string(),
  status: z.int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(parameterError).optional(),
});
export type Problem = z.infer<typeof problemSchema>;

/**
 * Thrown wherever a request cannot be answered; each transport renders it its own way
 * (a problem document over REST, a tRPC error code), so handlers never know which one called them.
 */
export class ProblemError extends Error {
  constructor(
    readonly kind: ProblemKind,
    detail: string,
    readonly errors?: ParameterError[],
  ) {
    super(detail);
  }

  get trpcCode(): TRPC_ERROR_CODE_KEY {
    return PROBLEM_KINDS[this.kind].trpcCode;
  }

  /** The one place a problem document is built. */
  toProblem(instance: string): Problem {
    const { title, status } = PROBLEM_KINDS[this.kind];
    return {
      type: PROBLEM_TYPE_BASE + this.kind,
      title,
      status,
      detail: this.message,
      instance,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export const invalidParameters = (errors: ParameterError[]) =>
  new ProblemError('invalid-parameters', errors.map((e) => e.message).join('; '), errors);

/** One entry per offending parameter, unknown ones included: the same list for REST problems and tRPC errors. */
export function parameterErrors(error: ZodError): ParameterError[] {
  return error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ parameter: k, message: `unknown parameter "${k}"` }))
      : [{ parameter: i.path.join('.') || '(input)', message: i.message }],
  );
}

export function sendProblem(res: Response, problem: Problem): void {
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}
