import type { Response } from 'express';
import type { ZodError } from 'zod';

/** An RFC 9457 problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: { parameter: string; message: string }[];
}

const BASE = 'https://ecom.dev/problems/';

export function sendProblem(res: Response, problem: Problem): void {
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}

export function invalidParameters(error: ZodError, instance: string): Problem {
  const errors = error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ parameter: k, message: `unknown parameter "${k}"` }))
      : [{ parameter: i.path.join('.') || '(query)', message: i.message }],
  );
  return {
    type: `${BASE}invalid-parameters`,
    title: 'Invalid request parameters',
    status: 400,
    detail: errors.map((e) => e.message).join('; '),
    instance,
    errors,
  };
}

export const notFound = (detail: string, instance: string): Problem => ({
  type: `${BASE}not-found`,
  title: 'Not found',
  status: 404,
  detail,
  instance,
});
export const internalError = (instance: string): Problem => ({
  type: `${BASE}internal`,
  title: 'Internal server error',
  status: 500,
  detail: 'The server could not complete the request; see the server log.',
  instance,
});
export const unavailable = (detail: string, instance: string): Problem => ({
  type: `${BASE}unavailable`,
  title: 'Service unavailable',
  status: 503,
  detail,
  instance,
});
