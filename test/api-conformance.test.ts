// Conformance (issue 10, parts 2 and 4): property-based requests derived from the published OpenAPI
// document — valid and invalid parameters for every operation, the hand-written orders routes and
// the routes generated for every `api` table — against a real server, for the e-commerce model (PGlite
// and PostgreSQL) and two fixture models (composite keys; uuid and bigint keys; PostgreSQL). Every response is checked against the document (ajv), tRPC must answer the same inputs
// the same way, lists must hold what their filters say, and every documented status is produced.
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../src/model/load.ts';
import { buildApi } from '../src/server/api.ts';
import type { PrismaClient } from '../src/server/prisma.ts';
import type { Route } from '../src/server/routes/route.ts';
import { seededApi, type Reply, type SeededApi } from './helpers/api.ts';
import { backends } from './helpers/databases.ts';
import { responseChecker, type OpenApiDocument, type Operation, type Parameter } from './helpers/openapi-conformance.ts';

/** Cases per operation, half valid and half invalid; fewer for the parameterless ones. */
const RUNS = { withParameters: 100, withoutParameters: 30 };

/** The models served, each with the tables locked (then renamed) to produce 503s (500s): every data route reads one of them. */
const MODELS = [
  { file: 'ecommerce_model.json', locked: ['orders'] },
  { file: 'test/fixtures/blog_model.json', locked: ['posts', 'post_tags'] },
  { file: 'test/fixtures/library_model.json', locked: ['branches', 'loans'] },
];
/** Each model's routes, known before any server starts (buildApi only describes them; no query runs). */
const ROUTES = Object.fromEntries(
  await Promise.all(MODELS.map(async (m) => [m.file, (await buildApi(loadModel(m.file), {} as PrismaClient)).routes] as const)),
);
/** The date range the document states for date parameters (info.description). */
const DATES = { min: new Date('0001-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z') };
/** Integer text the document's grammar refuses. */
const NON_CANONICAL_INTEGERS = ['0x51', '1e1', '+5', '5.0', ' 1', '1 ', '', '007', '-0', '1_000', 'NaN', 'Infinity', '٣'];

type Schema = Record<string, unknown> & { anyOf?: Schema[]; enum?: string[]; pattern?: string; format?: string; type?: string };

const matchesAnyPattern = (schema: Schema, value: string) =>
  (schema.anyOf ?? [schema]).some((s) => s.pattern !== undefined && new RegExp(s.pattern).test(value));

/** Text a client may send for a parameter of this schema. */
function validText(schema: Schema): fc.Arbitrary<string> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map(validText));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.type === 'integer') {
    const min = schema.minimum as number;
    const max = schema.maximum as number;
    // small values matter most for pages; the whole range for the bounds
    return fc.oneof(fc.integer({ min, max: Math.min(max, min + 300) }), fc.integer({ min, max })).map(String);
  }
  const date = fc.date({ ...DATES, noInvalidDate: true });
  if (schema.format === 'date') return date.map((d) => d.toISOString().slice(0, 10));
  if (schema.format === 'date-time')
    return fc.tuple(date, fc.integer({ min: -14, max: 14 })).map(([d, h]) => {
      // the same instant with an offset, kept inside the range
      const shifted = new Date(d.getTime() + h * 3_600_000);
      if (shifted < DATES.min || shifted > DATES.max || h === 0) return d.toISOString();
      const sign = h < 0 ? '-' : '+';
      return `${shifted.toISOString().slice(0, 19)}${sign}${String(Math.abs(h)).padStart(2, '0')}:00`;
    });
  if (schema.type === 'boolean') return fc.constantFrom('true', 'false');
  if (schema.type === 'number') return fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((n) => String(Math.round(n * 100) / 100));
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  if (schema.type === 'string' && typeof schema.maxLength === 'number')
    return fc.string({ minLength: (schema.minLength as number | undefined) ?? 0, maxLength: Math.min(schema.maxLength, 30) });
  return fc.string();
}

/** Text the schema refuses; a path parameter is never empty or a dot segment (those address other resources). */
function invalidText(schema: Schema, where: Parameter['in']): fc.Arbitrary<string> {
  const any = fc.string({ maxLength: 30 });
  let arbitrary: fc.Arbitrary<string>;
  if (schema.type === 'integer') {
    const min = schema.minimum as number;
    const max = schema.maximum as number;
    arbitrary = fc.oneof(
      fc.integer({ min: min - 1_000_000, max: min - 1 }).map(String),
      fc.bigInt({ min: BigInt(max) + 1n, max: 10n ** 40n }).map(String),
      fc.constantFrom(...NON_CANONICAL_INTEGERS),
      any.filter((s) => !/^(0|-?[1-9][0-9]*)$/.test(s)),
    );
  } else if (schema.type === 'boolean') {
    arbitrary = fc.oneof(fc.constantFrom('TRUE', '1', 'yes', ''), any).filter((s) => s !== 'true' && s !== 'false');
  } else if (schema.type === 'number') {
    arbitrary = fc.oneof(fc.constantFrom('1e3', '.5', '+1', 'NaN', ''), any).filter((s) => !/^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(s));
  } else if (schema.enum) {
    arbitrary = any.filter((s) => !schema.enum!.includes(s));
  } else if (schema.anyOf?.some((s) => s.format?.startsWith('date'))) {
    arbitrary = fc.oneof(
      fc.constantFrom(
        '0000-01-01',
        '0000-12-31T23:59:59Z',
        '0001-01-01T00:30:00+01:00',
        '2025-02-30',
        '2025-13-01',
        '10000-01-01',
        'yesterday',
      ),
      any.filter((s) => !matchesAnyPattern(schema, s)),
    );
  } else if (schema.pattern) {
    arbitrary = fc.oneof(fc.constantFrom('1e3', '100.123', '-1', ' 1', ''), any).filter((s) => !matchesAnyPattern(schema, s));
  } else if (schema.type === 'string' && typeof schema.maxLength === 'number') {
    arbitrary = fc.oneof(fc.constant(''), fc.string({ minLength: schema.maxLength + 1, maxLength: schema.maxLength + 5 }));
  } else {
    throw new Error(`no invalid values known for ${JSON.stringify(schema)}`);
  }
  return where === 'path' ? arbitrary.filter((s) => s !== '' && s !== '.' && s !== '..') : arbitrary;
}

/** A request's parameters as text, and which one (if any) was made invalid. */
interface Case {
  values: Record<string, string>;
  invalid?: string;
}

function cases(parameters: Parameter[]): { valid: fc.Arbitrary<Case>; invalid: fc.Arbitrary<Case> } {
  const names = parameters.map((p) => p.name);
  const valid = fc
    .record(Object.fromEntries(parameters.map((p) => [p.name, validText(p.schema)])), {
      requiredKeys: parameters.filter((p) => p.required).map((p) => p.name),
    })
    .map((values) => ({ values: values as Record<string, string> }));
  const unknownName = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/).filter((n) => !names.includes(n) && n !== '_');
  const broken = fc.oneof(
    unknownName.map((name) => ({ name, text: fc.string({ maxLength: 10 }) })),
    ...parameters.map((p) => fc.constant({ name: p.name, text: invalidText(p.schema, p.in) })),
  );
  const invalid = fc
    .tuple(valid, broken)
    .chain(([base, { name, text }]) => text.map((t) => ({ values: { ...base.values, [name]: t }, invalid: name })));
  return { valid, invalid };
}

function restPath(template: string, parameters: Parameter[], values: Record<string, string>): string {
  let path = template;
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (parameters.find((p) => p.name === name)?.in === 'path') path = path.replace(`{${name}}`, encodeURIComponent(value));
    else query.append(name, value);
  }
  return query.size > 0 ? `${path}?${query}` : path;
}

/** A value as a comparable number: decimals, bigints (as text) and dates alike. */
const magnitude = (v: string | number) => (typeof v === 'number' ? v : /^-?[0-9.]+$/.test(v) ? Number(v) : Date.parse(v));

/** What a list's items must satisfy, given its (valid) parameters. */
function checkPage(values: Record<string, string>, reply: Reply, generated: boolean) {
  const page = reply.body as { items: Record<string, string | number>[]; total: number; skip: number; limit: number };
  expect(reply.headers.get('x-total-count')).toBe(String(page.total));
  expect(page.items.length).toBeLessThanOrEqual(page.limit);
  expect(page.items.length).toBe(Math.max(0, Math.min(page.limit, page.total - page.skip)));
  for (const item of page.items) {
    if (generated) {
      // the generated filters: `column` equals, `min_column` / `max_column` bound (inclusive)
      for (const [name, value] of Object.entries(values)) {
        const bound = /^(min|max)_(.+)$/.exec(name);
        if (bound && bound[2]! in item) {
          const [v, b] = [magnitude(item[bound[2]!]!), magnitude(value)];
          if (bound[1] === 'min') expect(v, name).toBeGreaterThanOrEqual(b);
          else expect(v, name).toBeLessThanOrEqual(b);
        } else if (name in item) expect(String(item[name]).toLowerCase(), name).toBe(value.toLowerCase());
      }
      continue;
    }
    if (values.status) expect(item.status).toBe(values.status);
    if (values.user_id) expect(item.user_id).toBe(Number(values.user_id));
    if (values.min_total) expect(Number(item.total_amount)).toBeGreaterThanOrEqual(Number(values.min_total));
    if (values.max_total) expect(Number(item.total_amount)).toBeLessThanOrEqual(Number(values.max_total));
    if (values.created_after) expect(Date.parse(item.created_at as string)).toBeGreaterThanOrEqual(Date.parse(values.created_after));
    if (values.created_before) expect(Date.parse(item.created_at as string)).toBeLessThan(Date.parse(values.created_before));
  }
}

/**
 * The e-commerce model on both backends; the fixture models on PostgreSQL only: what differs between
 * the backends is the driver under the Prisma client, not the routes a model gets (the generated
 * routes are on both backends through the e-commerce model's `/tables/orders`).
 */
const SERVED = backends.flatMap((backend) =>
  MODELS.filter((model) => backend.name === 'postgres' || model.file === 'ecommerce_model.json').map((model) => ({
    backend,
    model,
    name: `${backend.name}, ${model.file}`,
  })),
);

describe.each(SERVED)('the API conforms to its published OpenAPI document on $name', ({ backend, model }) => {
  let s: SeededApi;
  let doc: OpenApiDocument;
  let check: ReturnType<typeof responseChecker>;
  /** Statuses answered per "METHOD path", to check every documented one is reachable. */
  const seen = new Map<string, Set<number>>();

  beforeAll(async () => {
    s = await seededApi(backend, { queryTimeoutMs: 1000 }, { modelFile: model.file });
    doc = (await s.get('/openapi.json')).body;
    check = responseChecker(doc);
  });
  afterAll(() => s.close());

  async function call(method: string, template: string, path: string): Promise<Reply> {
    const reply = await s.get(path, { method });
    expect(check(method, template, reply), `${method} ${path}`).toEqual([]);
    const key = `${method} ${template}`;
    seen.set(key, (seen.get(key) ?? new Set()).add(reply.status));
    return reply;
  }

  /** The REST request and the same input over tRPC (when the operation has a procedure), at once. */
  async function both(method: string, template: string, operation: Operation, values: Record<string, string>) {
    const parameters = operation.parameters ?? [];
    const procedure = operation['x-trpc-procedure'];
    const [rest, trpc] = await Promise.all([
      call(method, template, restPath(template, parameters, values)),
      procedure ? s.get(`/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(values))}`) : undefined,
    ]);
    return { rest, sameOverTrpc: () => trpc && expectSameAnswer(trpc, rest) };
  }

  /** tRPC answers the same input the same way. */
  function expectSameAnswer(trpc: Reply, rest: Reply) {
    expect(trpc.status).toBe(rest.status);
    if (rest.status === 200) expect(trpc.body.result.data).toEqual(rest.body);
    else if (rest.status === 400) expect(trpc.body.error.data.issues).toEqual(rest.body.errors);
    else expect(trpc.body.error.message).toBe(rest.body.detail);
  }

  it.each(ROUTES[model.file]!.map((r) => [`${r.method} ${r.path}`, r.method, r.path] as const))(
    '%s: valid and invalid parameters, responses as documented, tRPC alike',
    async (_name, method, template) => {
      const operation = doc.paths[template]![method.toLowerCase()]!;
      const parameters = operation.parameters ?? [];
      const { valid, invalid } = cases(parameters);
      const numRuns = parameters.length > 0 ? RUNS.withParameters : RUNS.withoutParameters;
      await fc.assert(
        fc.asyncProperty(valid, async ({ values }) => {
          const { rest: reply, sameOverTrpc } = await both(method, template, operation, values);
          expect([200, 404], `${JSON.stringify(values)}: ${reply.text.slice(0, 300)}`).toContain(reply.status);
          if (reply.status === 404) expect(operation.responses).toHaveProperty('404');
          if (operation.responses['200']!.headers?.['X-Total-Count']) checkPage(values, reply, template.startsWith('/tables/'));
          sameOverTrpc();
        }),
        { numRuns },
      );
      await fc.assert(
        fc.asyncProperty(invalid, async ({ values, invalid: name }) => {
          const { rest: reply, sameOverTrpc } = await both(method, template, operation, values);
          expect(reply.status, `${JSON.stringify(values)}: ${reply.text.slice(0, 300)}`).toBe(400);
          expect(reply.body.errors.map((e: { parameter: string }) => e.parameter)).toEqual([name]);
          sameOverTrpc();
        }),
        { numRuns },
      );
    },
  );

  /** Holds ACCESS EXCLUSIVE locks on the model's locked tables while `during` runs (PGlite: its one connection, in a transaction). */
  async function withTableLocked(during: () => Promise<void>) {
    if (backend.name === 'pglite') {
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => (locked = r));
      let done!: () => void;
      const finished = new Promise<void>((r) => (done = r));
      const tx = s.env.db.transaction(async (t) => {
        await t.query(`LOCK TABLE ${model.locked.join(', ')} IN ACCESS EXCLUSIVE MODE`);
        locked();
        await finished;
      });
      await isLocked;
      try {
        await during();
      } finally {
        done();
        await tx;
      }
      return;
    }
    const client = new pg.Client({ connectionString: s.env.url });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(`LOCK TABLE ${model.locked.join(', ')} IN ACCESS EXCLUSIVE MODE`);
      await during();
    } finally {
      await client.query('ROLLBACK');
      await client.end();
    }
  }

  /** A path of each route: by-key routes address an existing row (the first of their list). */
  async function samplePaths(routes: readonly Route[]): Promise<Record<string, string>> {
    const paths: Record<string, string> = { '/orders/{id}': '/orders/42' };
    for (const r of routes.filter((x) => x.path.startsWith('/tables/') && x.path.includes('{'))) {
      const list = r.path.slice(0, r.path.indexOf('/{'));
      const row = (await s.get(`${list}?limit=1`)).body.items[0] as Record<string, unknown>;
      paths[r.path] = r.path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(String(row[k])));
    }
    return paths;
  }

  it('produces every documented status: 503 with a table locked, 500 with a table missing', async () => {
    const routes = ROUTES[model.file]!;
    const paths = await samplePaths(routes);
    const dataRoutes = routes.filter((r) => !r.offline);
    // random keys seldom hit a row (uuids never): each by-key route answers 200 for an existing one
    for (const r of dataRoutes) {
      const existing = paths[r.path];
      if (existing) expect((await call(r.method, r.path, existing)).status, r.path).toBe(200);
    }
    await withTableLocked(async () => {
      for (const r of dataRoutes) expect((await call(r.method, r.path, paths[r.path] ?? r.path)).status, r.path).toBe(503);
    });
    for (const t of model.locked) await s.env.db.query(`ALTER TABLE ${t} RENAME TO ${t}_away`);
    try {
      for (const r of dataRoutes) {
        const reply = await call(r.method, r.path, paths[r.path] ?? r.path);
        // /health reports any failure to read the tables as the database being unavailable
        expect(reply.status, r.path).toBe(r.path === '/health' ? 503 : 500);
      }
    } finally {
      for (const t of model.locked) await s.env.db.query(`ALTER TABLE ${t}_away RENAME TO ${t}`);
    }
    // never produced by a working server: `/` reads no database, /health turns every failure into a 503
    const unreachable = new Set(['GET / 500', 'GET /health 500']);
    for (const [path, operations] of Object.entries(doc.paths))
      for (const [method, operation] of Object.entries(operations))
        for (const status of Object.keys(operation.responses)) {
          const key = `${method.toUpperCase()} ${path}`;
          if (!unreachable.has(`${key} ${status}`)) expect([...(seen.get(key) ?? [])], `${key} ${status}`).toContain(Number(status));
        }
  });
});
