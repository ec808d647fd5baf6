// The types `ecom codegen` prints for the generated table API (issue 10, part 4) compile, for every
// fixture model with all its tables served (composite keys, uuid and bigint keys, decimals, bytea,
// arrays, enums with odd labels, JSON), and type a tRPC client of AppRouterOf them: one TypeScript
// program over all of them, which must find exactly the one deliberate mistake.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../src/model/load.ts';
import { describeTables } from '../src/server/tables/describe.ts';
import { emitTableTypes } from '../src/server/tables/types.ts';
import { tempDir } from './helpers/cleanup.ts';
import { REPO } from './helpers/project.ts';
import { prettierFormatted, typeCheck } from './helpers/typescript.ts';

const FIXTURES = readdirSync(join(REPO, 'test/fixtures')).filter((f) => f.endsWith('_model.json'));

/** The fixture with every table's destination `api`. */
function everyTableServed(fixture: string) {
  const json = JSON.parse(readFileSync(join(REPO, 'test/fixtures', fixture), 'utf8'));
  for (const table of json.tables) table.destination = 'api';
  const file = join(tempDir('ecom-model-'), fixture);
  writeFileSync(file, JSON.stringify(json));
  return loadModel(file);
}

const CLIENT = [
  "import type { TRPCClient } from '@trpc/client';",
  `import type { AppRouterOf } from '${REPO}/src/server/routers/app.ts';`,
  "import type { GeneratedTables } from './tables.ts';",
  '',
  'declare const client: TRPCClient<AppRouterOf<GeneratedTables>>;',
  '',
].join('\n');

/** Uses of each model's client that must compile: keys, filters and the types of what comes back. */
const USES: Record<string, string> = {
  blog: `
    // a composite key; a list without input
    const tag = await client.tables.post_tags.get.query({ post_id: 1, tag_id: 2 });
    const parents: [string | undefined, string | undefined] = [tag.parents.post?.title, tag.parents.tag?.label];
    const page = await client.tables.posts.list.query();
    const status: 'draft' | 'published' | 'archived' = page.items[0]!.status;
    const metadata: unknown = page.items[0]!.metadata;
    return [parents, status, metadata, page.total + page.skip + page.limit, page.sort.length];`,
  library: `
    // uuid and bigint keys as strings; decimals as strings; booleans
    const book = await client.tables.books.get.query({ id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' });
    const loans = await client.tables.loans.list.query({ book_id: book.id, min_fee: '0.50', returned: false, sort: '-id' });
    const loan = await client.tables.loans.get.query({ id: '9007199254740993' });
    const fee: string | null = loan.fee;
    const price: string = book.price;
    return [loans.items.map((l) => l.id.length), fee, price, loan.returned === true];`,
  rental_store: `
    // bigint, decimal, bytea, time, arrays, enums with odd labels, JSON
    const payment = await client.tables.payment.get.query({ payment_id: '1' });
    const amount: string = payment.amount;
    const event = await client.tables.customer_event.list.query({ kind: '1st-visit' });
    const kind: 'log-in' | 'log-out' | 'rent' | '1st-visit' = event.items[0]!.kind;
    const labels: (string | null)[] | null = event.items[0]!.labels;
    const detail = await client.tables.film_detail.get.query({ detail_id: 1 });
    const poster: string = detail.poster;
    const film = await client.tables.film.get.query({ film_id: detail.film_id });
    const features: (string | null)[] = film.special_features;
    const ratings = (await client.tables.customer.get.query({ customer_id: 1 })).allowed_ratings;
    return [amount, kind, labels, poster, features, ratings.includes('NC-17'), film.child_counts];`,
};

/** The deliberate mistake: a composite key without its second column. */
const WRONG = 'export const wrong = () => client.tables.post_tags.get.query({ post_id: 1 });\n';

describe('the table API types of the fixture models', () => {
  const types = FIXTURES.map((fixture) => ({
    name: fixture.replace(/_model\.json$/, ''),
    text: emitTableTypes(everyTableServed(fixture), `test/fixtures/${fixture}`),
  }));

  it('come from routes that filter and sort on no array column (those have no parameter form)', () => {
    const tables = describeTables(everyTableServed('rental_store_model.json'));
    const arrays = new Set(
      tables.flatMap((t) => t.columns.filter((c) => c.codec.parameter === undefined).map((c) => `${t.table}.${c.name}`)),
    );
    expect(arrays).toContain('customer.allowed_ratings'); // an enum[]: once an equality filter, which crashed the routes
    const used = tables.flatMap((t) => [...t.filters.map((f) => f.column), ...t.sortable].map((c) => `${t.table}.${c.name}`));
    expect(used.filter((c) => arrays.has(c))).toEqual([]);
  });

  it('are formatted as prettier formats them', async () => {
    for (const { name, text } of types) expect(await prettierFormatted(text), name).toBe(text);
  });

  it('compile with a typed tRPC client for each model, and a wrong input is a type error', { timeout: 60_000 }, () => {
    const files: Record<string, string> = {};
    for (const { name, text } of types) {
      files[`${name}/tables.ts`] = text;
      files[`${name}/consumer.ts`] = `${CLIENT}export async function use() {${USES[name] ?? `\n    return client.tables;`}\n}\n`;
    }
    expect(Object.keys(USES).every((name) => `${name}/tables.ts` in files)).toBe(true);
    // a model that serves no table: an empty map, and a client without tables
    files['none/tables.ts'] = emitTableTypes(loadModel(join(REPO, 'test/fixtures/league_model.json')), 'league_model.json');
    expect(files['none/tables.ts']).toContain('export interface GeneratedTables {}\n');
    files['none/consumer.ts'] = `${CLIENT}export const empty: keyof typeof client.tables extends never ? true : false = true;\n`;
    files['blog/wrong.ts'] = CLIENT + WRONG;
    const diagnostics = typeCheck(files);
    expect(diagnostics, diagnostics.join('\n')).toHaveLength(1);
    expect(diagnostics[0]).toMatch(/^blog\/wrong\.ts:6: TS2345 .*Property 'tag_id' is missing/s);
  });
});
