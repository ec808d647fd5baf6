import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import type { ServerResponse } from 'node:http';
import { z, type ZodError } from 'zod';
import { LIMITS } from './limits.ts';

/** Every problem's `type` is this base followed by its kind. */
const PROBLEM_TYPE_BASE = 'https://ecom.dev/problems/';

/**
 * Each kind of problem the API answers with, and what it means over REST (status) and tRPC (code).
 * The transport-level kinds (malformed URL, 414, 431, refused origin) happen before tRPC runs; their
 * tRPC codes are the nearest ones, for completeness.
 */
const PROBLEM_KINDS = {
  'invalid-parameters': { title: 'Invalid request parameters', status: 400, trpcCode: 'BAD_REQUEST' },
  'bad-request': { title: 'Malformed request', status: 400, trpcCode: 'BAD_REQUEST' },
  'origin-not-allowed': { title: 'Origin not allowed', status: 403, trpcCode: 'FORBIDDEN' },
  'not-found': { title: 'Not found', status: 404, trpcCode: 'NOT_FOUND' },
  'method-not-allowed': { title: 'Method not allowed', status: 405, trpcCode: 'METHOD_NOT_SUPPORTED' },
  'uri-too-long': { title: 'URI too long', status: 414, trpcCode: 'BAD_REQUEST' },
  'headers-too-large': { title: 'Request header fields too large', status: 431, trpcCode: 'BAD_REQUEST' },
  internal: { title: 'Internal server error', status: 500, trpcCode: 'INTERNAL_SERVER_ERROR' },
  unavailable: { title: 'Service unavailable', status: 503, trpcCode: 'SERVICE_UNAVAILABLE' },
} as const satisfies Record<string, { title: string; status: number; trpcCode: TRPC_ERROR_CODE_KEY }>;

export type ProblemKind = keyof typeof PROBLEM_KINDS;

export const problemStatus = (kind: ProblemKind) => PROBLEM_KINDS[kind].status;

/** What a client is told about any error the server did not expect; the details go to the server log only. */
export const INTERNAL_DETAIL = 'The server could not complete the request; the server log has the details under this request id.';

const parameterError = z.object({ parameter: z.string(), message: z.string() });
export type ParameterError = z.infer<typeof parameterError>;

/** An RFC 9457 problem document, with the request id as an extension member. */
export const problemSchema = z.object({
  type: z.url(),
  title: z.string(),
  status: z.int().min(400).max(599),
  detail: z.string().optional(),
  instance: z.string().optional(),
  request_id: z.string().optional().describe('the X-Request-Id of the request, also in the server log'),
  errors: z.array(parameterError).optional().describe('one entry per invalid parameter'),
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
    /** Response headers the problem calls for (e.g. `Allow` on a 405). */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }

  get trpcCode(): TRPC_ERROR_CODE_KEY {
    return PROBLEM_KINDS[this.kind].trpcCode;
  }

  get status(): number {
    return PROBLEM_KINDS[this.kind].status;
  }

  get title(): string {
    return PROBLEM_KINDS[this.kind].title;
  }

  /** The one place a problem document is built. */
  toProblem(instance: string | undefined, requestId?: string): Problem {
    return {
      type: PROBLEM_TYPE_BASE + this.kind,
      title: this.title,
      status: this.status,
      detail: this.message,
      ...(instance ? { instance } : {}),
      ...(requestId ? { request_id: requestId } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }

  /** Every header a problem response carries; 503s tell clients when to come back. */
  responseHeaders(): Record<string, string> {
    return {
      'Content-Type': 'application/problem+json; charset=utf-8',
      'Cache-Control': 'no-store',
      ...(this.kind === 'unavailable' ? { 'Retry-After': String(LIMITS.retryAfterSeconds) } : {}),
      ...this.headers,
    };
  }
}

export const internalProblem = () => new ProblemError('internal', INTERNAL_DETAIL);

export const invalidParameters = (errors: ParameterError[]) =>
  new ProblemError('invalid-parameters', errors.map((e) => e.message).join('; '), errors);

/** One entry per offending parameter, unknown ones included: the same list for REST problems and tRPC errors. */
export function parameterErrors(error: ZodError): ParameterError[] {
  return error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ parameter: k, message: `unknown parameter "${k}" (${i.message})` }))
      : [{ parameter: i.path.join('.') || '(input)', message: i.message }],
  );
}

export function sendProblem(res: ServerResponse, problem: ProblemError, instance: string, requestId?: string): void {
  const body = JSON.stringify(problem.toProblem(instance, requestId));
  res.writeHead(problem.status, { ...problem.responseHeaders(), 'Content-Length': Buffer.byteLength(body) }).end(body);
}
