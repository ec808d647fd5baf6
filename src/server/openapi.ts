import { z } from 'zod';
import type { ApiInfo } from './context.ts';
import { MOUNTS } from './mounts.ts';
import { problemSchema, problemStatus, type ProblemKind } from './problem.ts';
import { appRouter } from './routers/app.ts';
import { ROUTES } from './routes/index.ts';
import type { Route, RouteInput } from './routes/route.ts';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[] };

const schemaOf = (s: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

/** Query or path parameters from the same zod schema the route validates with. */
function parameters({ from, schema }: RouteInput) {
  const json = schemaOf(schema, 'input');
  return Object.entries(json.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s;
    return {
      name,
      in: from,
      required: from === 'path' || ((json.required ?? []).includes(name) && !('default' in s)),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });

function operation(route: Route) {
  const problems: Partial<Record<ProblemKind, string>> = {
    ...(route.input ? { 'invalid-parameters': 'Invalid parameters' } : {}),
    ...route.problems,
    internal: 'Server error',
  };
  return {
    summary: route.summary,
    operationId: route.operationId,
    ...(route.input ? { parameters: parameters(route.input) } : {}),
    responses: {
      200: { description: route.output.description, content: { 'application/json': { schema: ref(route.output.name) } } },
      ...Object.fromEntries(
        Object.entries(problems).map(([kind, description]) => [problemStatus(kind as ProblemKind), problemResponse(description)]),
      ),
    },
  };
}

/** The OpenAPI 3.1 document, generated from the route descriptions and their zod schemas. */
export function openApiDocument(info: ApiInfo) {
  const paths: Record<string, Record<string, ReturnType<typeof operation>>> = {};
  for (const route of ROUTES) paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route) };
  const procedures = Object.keys(appRouter._def.procedures).join(', ');
  return {
    openapi: '3.1.0',
    info: {
      title: `${info.name} API`,
      version: info.version,
      description: `Orders over REST (this document) and tRPC (\`${MOUNTS.trpc}\`, procedures ${procedures} with the same inputs). Amounts are exact decimal strings with two decimals; timestamps are ISO 8601 UTC. Errors are RFC 9457 problem documents.`,
    },
    paths,
    components: {
      schemas: {
        ...Object.fromEntries(ROUTES.map((r) => [r.output.name, schemaOf(r.output.schema, 'output')])),
        Problem: schemaOf(problemSchema, 'output'),
      },
    },
  };
}
