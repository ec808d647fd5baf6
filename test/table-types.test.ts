// The types of the generated table API (issue 10, part 4): what `ecom codegen` prints for the
// e-commerce model (the golden file, which the checkout's AppRouter gets from src/generated/api in
// CI), a tRPC client typed by them (checked by tsc: `npm test` runs it), the same client against a
// real server on both backends, and codegen keeping the file in step with the model.
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { codegen, TABLE_TYPES_FILE } from '../src/codegen/codegen.ts';
import { loadModel } from '../src/model/load.ts';
import type { AppRouterOf } from '../src/server/routers/app.ts';
import { emitTableTypes } from '../src/server/tables/types.ts';
import { seededApi, type SeededApi } from './helpers/api.ts';
import { backends } from './helpers/databases.ts';
import { REPO, scratchProject } from './helpers/project.ts';
import { prettierFormatted, typeCheck } from './helpers/typescript.ts';
// the model switch tests compile this file in clones generated from other models: it takes the
// e-commerce types from the golden file (equal to what codegen prints, first test) rather than from src/generated
import type { GeneratedTables, OrderListInput } from './golden/ecommerce-tables.ts';

const GOLDEN = 'test/golden/ecommerce-tables.ts';

/** The checkout's AppRouter when its model is the e-commerce one. */
type ShopRouter = AppRouterOf<GeneratedTables>;
const clientOf = (url: string) => createTRPCClient<ShopRouter>({ links: [httpBatchLink({ url: `${url}/trpc` })] });

describe('the types codegen prints for the generated table API', () => {
  it('for the e-commerce model: the golden file, formatted as prettier formats it', async () => {
    const text = emitTableTypes(loadModel('ecommerce_model.json'), 'ecommerce_model.json');
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
    expect(await prettierFormatted(text)).toBe(text);
  });

  it('type a tRPC client: inputs, outputs, and wrong inputs are type errors', () => {
    const client = clientOf('http://127.0.0.1:9'); // never called: this test is checked by tsc
    type Client = typeof client;
    type Page = Awaited<ReturnType<Client['tables']['orders']['list']['query']>>;
    type Detail = Awaited<ReturnType<Client['tables']['orders']['get']['query']>>;
    type User = NonNullable<Detail['parents']['user']>;

    expectTypeOf(client.tables.orders.get.query).parameter(0).toEqualTypeOf<{ id: number }>();
    // every list parameter is optional, so the input may be left out (tRPC adds `void`)
    expectTypeOf(client.tables.orders.list.query).parameter(0).toEqualTypeOf<OrderListInput | void | undefined>();
    expectTypeOf<OrderListInput['status']>().toEqualTypeOf<'pending' | 'processing' | 'shipped' | 'delivered' | 'cancelled' | undefined>();
    expectTypeOf<OrderListInput['min_total_amount']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<OrderListInput['limit']>().toEqualTypeOf<number | undefined>();

    expectTypeOf<Page['items'][number]>().toEqualTypeOf<{
      id: number;
      user_id: number;
      status: 'pending' | 'processing' | 'shipped' | 'delivered' | 'cancelled';
      total_amount: string;
      created_at: string;
    }>();
    expectTypeOf<Omit<Page, 'items'>>().toEqualTypeOf<{ total: number; skip: number; limit: number; sort: string }>();
    expectTypeOf<Detail['total_amount']>().toEqualTypeOf<string>();
    expectTypeOf<Detail['parents']['user']>().toEqualTypeOf<User | null>();
    expectTypeOf<User['email']>().toEqualTypeOf<string>();
    expectTypeOf<User['phone']>().toEqualTypeOf<string | null>();
    expectTypeOf<Detail['child_counts']>().toEqualTypeOf<{ order_items: number }>();

    const wrong = () => [
      // @ts-expect-error a key is a number
      client.tables.orders.get.query({ id: '42' }),
      // @ts-expect-error the key is required
      client.tables.orders.get.query({}),
      // @ts-expect-error no such parameter
      client.tables.orders.get.query({ id: 42, colour: 'red' }),
      // @ts-expect-error not a status
      client.tables.orders.list.query({ status: 'lost' }),
      // @ts-expect-error decimals are strings
      client.tables.orders.list.query({ min_total_amount: 100 }),
      // @ts-expect-error users is not served by the generated API (destination json)
      client.tables.users.list.query(),
    ];
    expect(typeof wrong).toBe('function');
  });
});

describe.each(backends)('the typed client against a real server on $name', (backend) => {
  let s: SeededApi;
  beforeAll(async () => void (s = await seededApi(backend)));
  afterAll(() => s.close());

  it('gets what REST answers, and the values type-check against the printed types', { timeout: 60_000 }, async () => {
    const client = clientOf(s.api.url);
    const [detail, page, firstPage] = await Promise.all([
      client.tables.orders.get.query({ id: 42 }),
      client.tables.orders.list.query({ status: 'delivered', min_total_amount: '100', sort: '-total_amount', limit: 3 }),
      client.tables.orders.list.query(),
    ]);
    expect(detail).toEqual((await s.get('/tables/orders/42')).body);
    expect(page).toEqual((await s.get('/tables/orders?status=delivered&min_total_amount=100&sort=-total_amount&limit=3')).body);
    expect(page.items).toHaveLength(3);
    expect(firstPage.limit).toBe(50);
    expect(detail.parents.user?.id).toBe(detail.user_id);

    // the answers as literals of the printed types: a missing, extra or mistyped property is a diagnostic
    const literal = (type: string, value: unknown) =>
      `import type { ${type} } from '${REPO}/${GOLDEN}';\nexport const value: ${type}[] = ${JSON.stringify(value, null, 2)};\n`;
    const diagnostics = typeCheck({
      'detail.ts': literal('OrderDetail', [detail]),
      'pages.ts': literal('OrderPage', [page, firstPage]),
      'wrong.ts': literal('OrderDetail', [{ ...detail, total_amount: Number(detail.total_amount) }]),
    });
    expect(diagnostics).toEqual([expect.stringMatching(/^wrong\.ts:\d+: TS2322 Type 'number' is not assignable to type 'string'/)]);
  });
});

describe('codegen writes the types with the other outputs', () => {
  it('rewrites them only when they differ, reports them stale with --check, and drops the types of a table that left the model', () => {
    const p = scratchProject('test/fixtures/blog_model.json');
    const file = join(p.root, TABLE_TYPES_FILE);
    const modelFile = join(p.root, 'blog_model.json');
    const statusOf = (r: ReturnType<typeof codegen>) => r.files.find((f) => f.path === TABLE_TYPES_FILE)?.status;
    const before = readFileSync(file, 'utf8');
    expect(before).toContain('  post_tags: {\n');
    const written = statSync(file).mtimeMs;
    expect(statusOf(codegen(p.model, { root: p.root, modelFile, skipClient: true }))).toBe('unchanged');
    expect(statSync(file).mtimeMs).toBe(written);

    const json = JSON.parse(readFileSync(modelFile, 'utf8'));
    json.tables = json.tables.filter((t: { name: string }) => t.name !== 'post_tags');
    writeFileSync(modelFile, JSON.stringify(json, null, 2));
    const changed = loadModel(modelFile);
    expect(statusOf(codegen(changed, { root: p.root, modelFile, check: true }))).toBe('stale');
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(statusOf(codegen(changed, { root: p.root, modelFile, skipClient: true }))).toBe('updated');
    const after = readFileSync(file, 'utf8');
    expect(after).not.toMatch(/PostTag|post_tags/);
    expect(after).toContain('export interface GeneratedTables {\n  posts: {\n');
    expect(after).toBe(emitTableTypes(changed, 'blog_model.json'));

    // not committed, like the Prisma client: a fresh clone has none, which --check does not count against it
    rmSync(file);
    expect(statusOf(codegen(changed, { root: p.root, modelFile, check: true }))).toBeUndefined();
    expect(statusOf(codegen(changed, { root: p.root, modelFile, skipClient: true }))).toBe('created');
  });
});
