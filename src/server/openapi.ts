import { z } from 'zod';
import { ROUTES, type ApiInfo } from './rest.ts';
import { listOrdersInput, orderDetail, orderIdInput, orderPage, orderStats, statsInput } from './schemas.ts';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[] };

const schemaOf = (s: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

/** Query or path parameters from the same zod schema the route validates with. */
function parameters(schema: z.ZodType, where: 'query' | 'path') {
  const json = schemaOf(schema, 'input');
  return Object.entries(json.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s;
    return {
      name,
      in: where,
      required: where === 'path' || ((json.required ?? []).includes(name) && !('default' in s)),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

const problem = { $ref: '#/components/schemas/Problem' };
const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: problem } } });
const ok = (ref: string, description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
});

/** The OpenAPI 3.1 document, generated from the zod schemas the routes use. */
export function openApiDocument(info: ApiInfo) {
  const summary = (path: string) => ROUTES.find((r) => r.path === path)!.summary;
  return {
    openapi: '3.1.0',
    info: {
      title: `${info.name} API`,
      version: info.version,
      description:
        'Orders over REST (this document) and tRPC (`/trpc`, procedures orders.list, orders.byId, orders.stats with the same inputs). Amounts are exact decimal strings with two decimals; timestamps are ISO 8601 UTC. Errors are RFC 9457 problem documents.',
    },
    paths: {
      '/': {
        get: {
          summary: summary('/'),
          operationId: 'apiInfo',
          responses: {
            200: {
              description: 'Name, version, data source and endpoints',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
          },
        },
      },
      '/health': {
        get: {
          summary: summary('/health'),
          operationId: 'health',
          responses: {
            200: { description: 'The database answers', content: { 'application/json': { schema: { type: 'object' } } } },
            503: problemResponse('The database does not answer'),
          },
        },
      },
      '/orders': {
        get: {
          summary: summary('/orders'),
          operationId: 'listOrders',
          parameters: parameters(listOrdersInput, 'query'),
          responses: {
            200: ok('OrderPage', 'A page of orders'),
            400: problemResponse('Invalid parameters'),
            500: problemResponse('Server error'),
          },
        },
      },
      '/orders/stats/summary': {
        get: {
          summary: summary('/orders/stats/summary'),
          operationId: 'orderStats',
          parameters: parameters(statsInput, 'query'),
          responses: { 200: ok('OrderStats', 'Order analytics'), 400: problemResponse('Invalid parameters') },
        },
      },
      '/orders/{id}': {
        get: {
          summary: summary('/orders/{id}'),
          operationId: 'getOrder',
          parameters: parameters(orderIdInput, 'path'),
          responses: { 200: ok('OrderDetail', 'The order'), 400: problemResponse('Invalid id'), 404: problemResponse('No such order') },
        },
      },
    },
    components: {
      schemas: {
        OrderPage: schemaOf(orderPage, 'output'),
        OrderDetail: schemaOf(orderDetail, 'output'),
        OrderStats: schemaOf(orderStats, 'output'),
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status'],
          properties: {
            type: { type: 'string', format: 'uri' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                required: ['parameter', 'message'],
                properties: { parameter: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
        },
      },
    },
  };
}
