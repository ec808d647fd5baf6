import { z } from 'zod';
import type { ApiInfo } from './context.ts';
import { IGNORED_QUERY_PARAMETERS, LIMITS } from './limits.ts';
import { MOUNTS, TABLES_PATH } from './mounts.ts';
import { problemSchema, problemStatus, type ProblemKind } from './problem.ts';
import { pathParameters, type Route } from './routes/route.ts';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[]; examples?: unknown[] };

const schemaOf = (s: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

/** Path and query parameters from the same zod schema the route validates with. */
function parameters(route: Route) {
  if (!route.input) return [];
  const json = schemaOf(route.input, 'input');
  const inPath = pathParameters(route.path);
  // zod leaves defaults out of a pipe's input schema; what the schema makes of no input has them all
  const defaults = (route.input.safeParse({}).data ?? {}) as Record<string, unknown>;
  return Object.entries(json.properties ?? {}).map(([name, s]) => {
    const { description, ...schema } = s;
    const path = inPath.includes(name);
    return {
      name,
      in: path ? 'path' : 'query',
      required: path || ((json.required ?? []).includes(name) && !(name in defaults)),
      ...(description ? { description } : {}),
      ...(schema.examples ? { example: schema.examples[0] } : {}),
      schema: { ...schema, ...(name in defaults ? { default: defaults[name] } : {}) },
    };
  });
}

const ref = (kind: 'schemas' | 'headers', name: string) => ({ $ref: `#/components/${kind}/${name}` });

/** Response headers, described once and referred to by each response that carries them. */
const HEADERS = {
  'X-Request-Id': {
    description:
      'The request id: the X-Request-Id the client sent when sane (1-128 of A-Z a-z 0-9 . _ : @ / + = -), else a new UUID. Also in the server log.',
    required: true,
    schema: { type: 'string', maxLength: 128 },
  },
  'X-Total-Count': { description: 'Rows matching the filters, as `total`.', required: true, schema: { type: 'integer', minimum: 0 } },
  Link: {
    description: 'RFC 8288 links to the `next` and `prev` pages (relative to this URL), when there are such pages.',
    schema: { type: 'string' },
  },
  'Retry-After': { description: 'Seconds to wait before retrying.', required: true, schema: { type: 'integer', minimum: 1 } },
};
type HeaderName = keyof typeof HEADERS;
const headers = (...names: HeaderName[]) => Object.fromEntries(names.map((n) => [n, ref('headers', n)]));

/** What each documented status means when the route does not say more. */
const COMMON_PROBLEMS = {
  'invalid-parameters': 'Invalid or unknown parameters, or a malformed URL; `errors` names each parameter',
  internal: 'Unexpected server error; the server log has the details under the request id',
  unavailable: `The database is unavailable or did not answer within the query timeout; \`detail\` says why. Retry after Retry-After seconds.`,
} as const satisfies Partial<Record<ProblemKind, string>>;

function problemResponse(kind: ProblemKind, description: string) {
  return {
    description,
    headers: headers('X-Request-Id', ...(kind === 'unavailable' ? (['Retry-After'] as const) : [])),
    content: { 'application/problem+json': { schema: ref('schemas', 'Problem') } },
  };
}

function operation(route: Route) {
  const problems: Partial<Record<ProblemKind, string>> = {
    'invalid-parameters': COMMON_PROBLEMS['invalid-parameters'],
    ...route.problems,
    internal: COMMON_PROBLEMS.internal,
    ...(route.offline ? {} : { unavailable: route.problems?.unavailable ?? COMMON_PROBLEMS.unavailable }),
  };
  const { procedure } = route;
  return {
    summary: route.summary,
    operationId: route.operationId,
    ...(procedure ? { description: `Also the tRPC query \`${procedure}\`, with the same input.`, 'x-trpc-procedure': procedure } : {}),
    ...(route.input ? { parameters: parameters(route) } : {}),
    responses: {
      200: {
        description: route.output.description,
        headers: headers('X-Request-Id', ...(route.paginated ? (['X-Total-Count', 'Link'] as const) : [])),
        content: { 'application/json': { schema: ref('schemas', route.output.name) } },
      },
      ...Object.fromEntries(
        Object.entries(problems).map(([kind, description]) => [
          problemStatus(kind as ProblemKind),
          problemResponse(kind as ProblemKind, description),
        ]),
      ),
    },
  };
}

const DESCRIPTION = `The model's data over REST (this document) and tRPC (\`${MOUNTS.trpc}\`, the same inputs; each operation names its procedure).

- **Tables**: every table whose destination is \`api\` has a list (\`${TABLES_PATH}/{table}\`: \`skip\`, \`limit\`, equality filters on keys, enums and booleans, \`min_\`/\`max_\` bounds on other numbers and dates, \`sort\` on indexed columns) and a by-key route (\`${TABLES_PATH}/{table}/{key…}\`, with the rows it references and counts of the rows referencing it), generated from the model at start-up. The orders routes are a hand-written extension for the e-commerce model.
- **Values**: ids of the orders routes are integers from 1 to ${LIMITS.int4Max} (PostgreSQL int4); int columns take -2147483648 to ${LIMITS.int4Max}, bigint columns are strings of digits, decimals exact strings. Integer parameters are decimal digits (no plus sign, point, exponent, spaces or leading zeros). Amounts, in and out, are exact decimal strings (parameters: up to two decimals, e.g. \`"99.50"\`; responses: always two). Timestamps are ISO 8601 UTC; date parameters are \`YYYY-MM-DD\` or a date-time with offset, from 0001-01-01 to 9999-12-31 UTC.
- **Parameters**: unknown query parameters are refused (400) on every route, except \`${IGNORED_QUERY_PARAMETERS.join('`, `')}\` (cache-busters), which every route ignores.
- **Errors** are RFC 9457 \`application/problem+json\` with the request id (\`request_id\`, also the \`X-Request-Id\` header); a 500 never carries the cause, the server log does. 503 (with \`Retry-After\`) means the database is unavailable or did not answer within the query timeout.
- **Limits**: URLs up to ${LIMITS.maxUrlBytes} bytes (414 above), request headers up to ${LIMITS.maxHeaderBytes} bytes (431), tRPC batches up to ${LIMITS.maxBatchCalls} calls (400), each request's database work within the query timeout (default ${LIMITS.queryTimeoutMs / 1000} s, \`ecom serve --query-timeout-ms\`).
- **Read-only**: every path answers GET, HEAD and OPTIONS; other methods get 405 with \`Allow\`.`;

/** The OpenAPI 3.1 document, generated from the route descriptions and their zod schemas. */
export function openApiDocument(info: ApiInfo, routes: readonly Route[]) {
  const paths: Record<string, Record<string, ReturnType<typeof operation>>> = {};
  for (const route of routes) paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route) };
  return {
    openapi: '3.1.0',
    info: { title: `${info.name} API`, version: info.version, description: DESCRIPTION },
    paths,
    components: {
      schemas: {
        ...Object.fromEntries(routes.map((r) => [r.output.name, schemaOf(r.output.schema, 'output')])),
        Problem: schemaOf(problemSchema, 'output'),
      },
      headers: HEADERS,
    },
  };
}
