// The routes generated for every `api` table (issue 10, part 4), against SQL on both backends: the
// e-commerce model (int keys, enum, decimals, dates), the blog fixture (a composite key) and the
// library fixture (uuid and bigint keys, booleans, nullable decimals).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededApi, type SeededApi } from './helpers/api.ts';
import { backends } from './helpers/databases.ts';

const trpc = (s: SeededApi, procedure: string, input: unknown) =>
  s.get(`/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`);

describe.each(backends)('generated table routes on $name', (backend) => {
  describe('e-commerce model', () => {
    let s: SeededApi;
    beforeAll(async () => void (s = await seededApi(backend)));
    afterAll(() => s.close());

    it('lists with equality and range filters, sort on an indexed column, pages and headers, as SQL does', async () => {
      const path = '/tables/orders?status=delivered&min_total_amount=100&max_created_at=2025-06-01&sort=-total_amount&limit=5&skip=1';
      const r = await s.get(path);
      expect(r.status).toBe(200);
      const expected = await s.env.db.query<{ id: number; total: string }>(
        `SELECT id, total_amount::text AS total FROM orders WHERE status = 'delivered' AND total_amount >= 100 AND created_at <= '2025-06-01'
         ORDER BY total_amount DESC, id LIMIT 5 OFFSET 1`,
      );
      const { n } = (
        await s.env.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM orders WHERE status = 'delivered' AND total_amount >= 100 AND created_at <= '2025-06-01'`,
        )
      )[0]!;
      expect(r.body.items.map((o: { id: number; total_amount: string }) => [o.id, o.total_amount])).toEqual(
        expected.map((o) => [o.id, o.total]),
      );
      expect(r.body).toMatchObject({ total: n, skip: 1, limit: 5, sort: '-total_amount' });
      expect(r.headers.get('x-total-count')).toBe(String(n));
      expect(r.headers.get('link')).toContain('rel="prev"');
      expect(Object.keys(r.body.items[0])).toEqual(['id', 'user_id', 'status', 'total_amount', 'created_at']);
      expect(
        (
          await trpc(s, 'tables.orders.list', {
            status: 'delivered',
            min_total_amount: '100',
            max_created_at: '2025-06-01',
            sort: '-total_amount',
            limit: 5,
            skip: 1,
          })
        ).body.result.data,
      ).toEqual(r.body);
    });

    it('answers by key with the parent row and child counts, over REST and tRPC alike', async () => {
      const r = await s.get('/tables/orders/42');
      expect(r.status).toBe(200);
      const [user] = await s.env.db.query<{ id: number; email: string }>(
        'SELECT u.id, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = 42',
      );
      const { n } = (await s.env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM order_items WHERE order_id = 42'))[0]!;
      expect(r.body.parents.user).toMatchObject(user!);
      expect(r.body.child_counts).toEqual({ order_items: n });
      expect((await trpc(s, 'tables.orders.get', { id: 42 })).body.result.data).toEqual(r.body);
    });

    it('refuses bad parameters and answers missing rows with problems, as the hand-written routes do', async () => {
      const tooBig = await s.get('/tables/orders/2147483648');
      expect(tooBig.status).toBe(400);
      expect(tooBig.body.errors).toEqual([{ parameter: 'id', message: 'id must be between -2147483648 and 2147483647' }]);
      const missing = await s.get('/tables/orders/999999');
      expect(missing.status).toBe(404);
      expect(missing.type).toMatch(/^application\/problem\+json/);
      expect(missing.body.detail).toBe('orders has no row with id 999999');
      const bad = await s.get('/tables/orders?sort=user_email&min_total_amount=1e3&returned=1&colour=red');
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { parameter: string }) => e.parameter).sort()).toEqual([
        'colour',
        'min_total_amount',
        'returned',
        'sort',
      ]);
      expect((await trpc(s, 'tables.orders.get', { id: 999999 })).body.error.data.code).toBe('NOT_FOUND');
      // OpenAPI: the generated operations are documented beside the hand-written ones
      const doc = (await s.get('/openapi.json')).body;
      expect(doc.paths['/tables/orders/{id}'].get['x-trpc-procedure']).toBe('tables.orders.get');
      expect(doc.paths['/tables/orders'].get.parameters.map((p: { name: string }) => p.name)).toEqual([
        'skip',
        'limit',
        'id',
        'user_id',
        'status',
        'min_total_amount',
        'max_total_amount',
        'min_created_at',
        'max_created_at',
        'sort',
      ]);
    });
  });

  describe('blog fixture: a composite key', () => {
    let s: SeededApi;
    beforeAll(async () => void (s = await seededApi(backend, {}, { modelFile: 'test/fixtures/blog_model.json' })), 120_000);
    afterAll(() => s.close());

    it('answers by both key columns, with both parents, and counts children', async () => {
      const [pair] = await s.env.db.query<{ post_id: number; tag_id: number; title: string; label: string }>(
        'SELECT pt.post_id, pt.tag_id, p.title, t.label FROM post_tags pt JOIN posts p ON p.id = pt.post_id JOIN tags t ON t.id = pt.tag_id ORDER BY 1, 2 LIMIT 1',
      );
      const r = await s.get(`/tables/post_tags/${pair!.post_id}/${pair!.tag_id}`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ post_id: pair!.post_id, tag_id: pair!.tag_id, child_counts: {} });
      expect(r.body.parents.post.title).toBe(pair!.title);
      expect(r.body.parents.tag.label).toBe(pair!.label);
      expect((await s.get(`/tables/post_tags/${pair!.post_id}/999999`)).status).toBe(404);
      expect((await s.get(`/tables/post_tags/${pair!.post_id}`)).status).toBe(404); // no such route
      const { n } = (await s.env.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM post_tags WHERE post_id = ${pair!.post_id}`))[0]!;
      expect((await s.get(`/tables/posts/${pair!.post_id}`)).body.child_counts).toEqual({ post_tags: n });
      const page = await s.get(`/tables/post_tags?post_id=${pair!.post_id}&sort=-tag_id`);
      expect(page.body.total).toBe(n);
      const tags = page.body.items.map((i: { tag_id: number }) => i.tag_id);
      expect(tags).toEqual(tags.toSorted((a: number, b: number) => b - a));
    });
  });

  describe('library fixture: uuid and bigint keys', () => {
    let s: SeededApi;
    beforeAll(async () => void (s = await seededApi(backend, {}, { modelFile: 'test/fixtures/library_model.json' })), 120_000);
    afterAll(() => s.close());

    it('takes uuids in any case, bigints as digit strings, booleans and dates as filters', async () => {
      const [branch] = await s.env.db.query<{ id: string; n: number }>(
        'SELECT b.id::text, (SELECT count(*)::int FROM books WHERE home_branch_id = b.id) AS n FROM branches b ORDER BY b.id LIMIT 1',
      );
      const r = await s.get(`/tables/branches/${branch!.id.toUpperCase()}`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: branch!.id, parents: {}, child_counts: { books: branch!.n } });
      const notUuid = await s.get('/tables/branches/42');
      expect(notUuid.status).toBe(400);
      expect(notUuid.body.errors[0].message).toMatch(/^id must be a UUID/);

      const [loan] = await s.env.db.query<{ id: string; fee: string | null; book_id: string }>(
        'SELECT id::text, fee::text, book_id::text FROM loans WHERE id = 7',
      );
      const one = await s.get('/tables/loans/7');
      expect(one.body).toMatchObject({ id: '7', fee: loan!.fee, book_id: loan!.book_id });
      expect(one.body.parents.book.id).toBe(loan!.book_id);
      expect((await trpc(s, 'tables.loans.get', { id: '7' })).body.result.data).toEqual(one.body);
      expect((await s.get('/tables/loans/1.5')).status).toBe(400);

      const { n } = (
        await s.env.db.query<{ n: number }>("SELECT count(*)::int AS n FROM loans WHERE returned AND loaned_on >= '2020-01-01'")
      )[0]!;
      const page = await s.get('/tables/loans?returned=true&min_loaned_on=2020-01-01&limit=100');
      expect(page.body.total).toBe(n);
      expect(page.body.items.every((l: { returned: boolean; loaned_on: string }) => l.returned && l.loaned_on >= '2020-01-01')).toBe(true);
    });
  });
});
