import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import type { GeneratorOf } from '../src/seed/generators/kind.ts';
import { parseTemplate } from '../src/seed/template.ts';
import { plannedCounts, seed } from '../src/seed/seed.ts';
import { verify } from '../src/seed/verify.ts';
import { parseCsv } from '../src/seed/verify/files.ts';
import { backends } from './helpers/databases.ts';
import { scratchProject } from './helpers/project.ts';

/**
 * Issue 13's promises, checked on every row of the default model at --scale 10 against oracles
 * of their own: the zipcodes and us-area-codes packages read directly, SQL over the loaded tables.
 */
const require = createRequire(import.meta.url);
const zipcodes = require('zipcodes') as {
  lookup(zip: string): { city: string; state: string; country: string } | undefined;
  states: { abbr: Record<string, string> };
};
const areaCodes = require('us-area-codes/data/codes.json') as Record<string, string>;
const DAY = 86_400_000;

const csvRows = (file: string) => parseCsv(readFileSync(file, 'utf8'));
const csvText = (rows: (string | null)[][]) =>
  rows.map((r) => r.map((v) => (v === null ? '' : `"${v.replace(/"/g, '""')}"`)).join(',')).join('\r\n') + '\r\n';

describe('realism of the default model at --scale 10, on every row', () => {
  const postgres = backends.find((b) => b.name === 'postgres')!;
  let env: Awaited<ReturnType<typeof postgres.fresh>>;
  let p: ReturnType<typeof scratchProject>;
  const q = <T extends Row>(sql: string) => env.db.query<T>(sql);

  beforeAll(async () => {
    env = await postgres.fresh();
    p = scratchProject('ecommerce_model.json');
    await migrate(env.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
    await seed(env.db, p.model, { seed: 42, counts: plannedCounts(p.model, 10), out: p.out });
  });
  afterAll(async () => {
    await env.db.close();
    await env.drop();
    p.cleanup();
  });

  it('passes verify', async () => {
    const report = await verify(env.db, p.model, p.out);
    expect(report.violations).toEqual([]);
  });

  it("every user's city, state, ZIP code and phone area code exist together in the reference data", async () => {
    const users = await q<{ id: number; city: string; state: string; postal_code: string; country: string; phone: string | null }>(
      'SELECT id, city, state, postal_code, country, phone FROM users',
    );
    expect(users).toHaveLength(1500);
    for (const u of users) {
      const place = zipcodes.lookup(u.postal_code);
      expect(place, `user ${u.id}: ZIP ${u.postal_code}`).toBeDefined();
      expect([place!.city, place!.state, u.country], `user ${u.id}`).toEqual([u.city, u.state, 'US']);
      if (u.phone === null) continue;
      const area = /^\+1-(\d{3})-[2-9]\d\d-\d{4}$/.exec(u.phone)?.[1];
      expect(areaCodes[area!]?.toUpperCase(), `user ${u.id}: phone ${u.phone} in ${u.state}`).toBe(zipcodes.states.abbr[u.state]);
    }
    // real places, not a handful: hundreds of distinct towns over most states
    expect(new Set(users.map((u) => u.city)).size).toBeGreaterThan(1000);
    expect(new Set(users.map((u) => u.state)).size).toBeGreaterThan(45);
  });

  it("every review's author ordered the product, in an order now delivered, at least 3 days before the review", async () => {
    const purchases = await q<{ user_id: number; product_id: number; status: string; created_at: Date }>(
      'SELECT o.user_id, i.product_id, o.status::text AS status, o.created_at FROM order_items i JOIN orders o ON o.id = i.order_id',
    );
    const bought = new Map<string, number[]>();
    for (const b of purchases.filter((x) => x.status === 'delivered')) {
      const key = `${b.user_id}:${b.product_id}`;
      bought.set(key, [...(bought.get(key) ?? []), b.created_at.getTime()]);
    }
    const [header, ...reviews] = csvRows(join(p.out, 'csv/reviews.csv'));
    const at = (name: string) => header!.indexOf(name);
    expect(reviews).toHaveLength(2000);
    for (const r of reviews) {
      const orders = bought.get(`${r[at('user_id')]}:${r[at('product_id')]}`) ?? [];
      const written = Date.parse(r[at('created_at')]!);
      expect(
        orders.some((ordered) => written > ordered + 3 * DAY),
        `review ${r[at('id')]}`,
      ).toBe(true);
    }
    // nobody orders a product before it is listed
    const early = await q<{ n: number }>(
      'SELECT count(*)::int AS n FROM order_items i JOIN orders o ON o.id = i.order_id JOIN products p ON p.id = i.product_id WHERE p.created_at >= o.created_at',
    );
    expect(early[0]!.n).toBe(0);
    // each delivered order line is reviewed at most once while there are enough of them
    const lines = reviews.map((r) => `${r[at('user_id')]}:${r[at('product_id')]}`);
    expect(new Set(lines).size).toBeGreaterThan(lines.length * 0.97);
  });

  it('order statuses follow age (newest pending, oldest delivered, cancellations at any age) and keep their weights', async () => {
    const spans = await q<{ status: string; n: number; newest: Date; oldest: Date }>(
      'SELECT status::text AS status, count(*)::int AS n, max(created_at) AS newest, min(created_at) AS oldest FROM orders GROUP BY 1',
    );
    const by = Object.fromEntries(spans.map((s) => [s.status, s]));
    const stages = ['pending', 'processing', 'shipped', 'delivered'];
    for (let i = 1; i < stages.length; i++)
      expect(by[stages[i]!]!.newest.getTime(), `${stages[i]} newer than ${stages[i - 1]}`).toBeLessThanOrEqual(
        by[stages[i - 1]!]!.oldest.getTime(),
      );
    expect(by.cancelled!.oldest.getTime()).toBeLessThan(by.delivered!.newest.getTime());
    expect(by.cancelled!.newest.getTime()).toBeGreaterThan(by.processing!.oldest.getTime());
    const total = spans.reduce((a, s) => a + s.n, 0);
    const weights = { pending: 8, processing: 10, shipped: 15, delivered: 60, cancelled: 7 };
    for (const [status, w] of Object.entries(weights)) expect(Math.abs(by[status]!.n / total - w / 100), status).toBeLessThan(0.03);
  });

  it("product names come from their category's vocabulary, prices from its band; discontinued products have little stock", async () => {
    const products = await q<{ id: number; name: string; price: string; stock_quantity: number; is_active: boolean; category: string }>(
      'SELECT p.id, p.name, p.price::text AS price, p.stock_quantity, p.is_active, c.name AS category FROM products p JOIN categories c ON c.id = p.category_id',
    );
    const columns = p.model.table('products').columns;
    const names = columns.find((c) => c.name === 'name')!.def.generate as GeneratorOf<'byRef'>;
    const prices = columns.find((c) => c.name === 'price')!.def.generate as GeneratorOf<'byRef'>;
    const vocabulary = (category: string) => {
      const g = names.cases[category.replace(/ \d+$/, '')] as GeneratorOf<'template'>;
      const source = parseTemplate(g.template, false)
        .map((part) =>
          part.kind === 'text' ? escape(part.text) : part.kind === 'oneOf' ? `(${part.options.map(escape).join('|')})` : 'UNEXPECTED',
        )
        .join('');
      return new RegExp(`^${source}$`);
    };
    const seen = new Set<string>();
    for (const x of products) {
      expect(x.name, `product ${x.id} in ${x.category}`).toMatch(vocabulary(x.category));
      const band = prices.cases[x.category.replace(/ \d+$/, '')] as GeneratorOf<'range'>;
      expect(Number(x.price)).toBeGreaterThanOrEqual((band.min as number) - 1);
      expect(Number(x.price)).toBeLessThanOrEqual(band.max as number);
      expect(x.price).toMatch(/\.99$/);
      if (!x.is_active) expect(x.stock_quantity).toBeLessThanOrEqual(3);
      seen.add(`${x.category}:${x.name}`);
    }
    expect(seen.size, 'names are unique within a category').toBe(products.length);
    const active = products.filter((x) => x.is_active);
    expect(Math.abs(active.length / products.length - 0.92)).toBeLessThan(0.03);
    expect(active.filter((x) => x.stock_quantity > 0).length / active.length).toBeGreaterThan(0.8);
  });

  describe('verify catches a row that breaks a rule', () => {
    const reviewsFile = () => join(p.out, 'csv/reviews.csv');

    async function violationsAfter(corrupt: () => Promise<void> | void, restore: () => Promise<void> | void) {
      await corrupt();
      try {
        return (await verify(env.db, p.model, p.out)).violations;
      } finally {
        await restore();
      }
    }

    it('a review by someone who never ordered the product (rule ref from), one written before its order arrived (rule after)', async () => {
      const original = readFileSync(reviewsFile(), 'utf8');
      const [header, ...rows] = parseCsv(original);
      const at = (name: string) => header!.indexOf(name);
      const buyers = await q<{ user_id: number; ordered: Date }>(
        `SELECT o.user_id, o.created_at AS ordered FROM order_items i JOIN orders o ON o.id = i.order_id WHERE i.product_id = ${Number(rows[0]![at('product_id')])}`,
      );
      const stranger = (
        await q<{ id: number }>(`SELECT id FROM users WHERE id NOT IN (${buyers.map((b) => b.user_id).join(',')}) LIMIT 1`)
      )[0]!.id;
      rows[0]![at('user_id')] = String(stranger);
      // review 2 dated one day after the first order its author could be reviewing: before delivery
      const second = await q<{ ordered: Date }>(
        `SELECT min(o.created_at) AS ordered FROM order_items i JOIN orders o ON o.id = i.order_id WHERE i.product_id = ${Number(rows[1]![at('product_id')])} AND o.user_id = ${Number(rows[1]![at('user_id')])}`,
      );
      rows[1]![at('created_at')] = new Date(second[0]!.ordered.getTime() + DAY).toISOString();
      const violations = await violationsAfter(
        () => writeFileSync(reviewsFile(), csvText([header!, ...rows])),
        () => writeFileSync(reviewsFile(), original),
      );
      expect(violations).toContainEqual(
        expect.objectContaining({ check: 'rule ref from', table: 'reviews', where: `reviews.product_id (id=${rows[0]![at('id')]})` }),
      );
      expect(violations).toContainEqual(
        expect.objectContaining({ check: 'rule after', table: 'reviews', where: `reviews.created_at (id=${rows[1]![at('id')]})` }),
      );
      expect(violations.filter((v) => v.check.startsWith('rule'))).toHaveLength(2);
    });

    it('an old order still pending (rule rank)', async () => {
      const [oldest] = await q<{ id: number; status: string }>(
        "SELECT id, status::text AS status FROM orders WHERE status = 'delivered' ORDER BY created_at LIMIT 1",
      );
      const violations = await violationsAfter(
        () => env.db.query(`UPDATE orders SET status = 'pending' WHERE id = ${oldest!.id}`).then(() => undefined),
        () => env.db.query(`UPDATE orders SET status = 'delivered' WHERE id = ${oldest!.id}`).then(() => undefined),
      );
      expect(violations.filter((v) => v.check === 'rule rank')).toEqual([
        expect.objectContaining({
          table: 'orders',
          where: `orders.status (id=${oldest!.id})`,
          detail: expect.stringMatching(
            /^"pending" but created_at \S+ is among "delivered" rows \(highest created_at first: pending, processing, shipped, delivered\)$/,
          ),
        }),
      ]);
    });

    it('a rule broken in the CSV copy of a table that PostgreSQL also holds (rule address, in the second destination)', async () => {
      const file = join(p.out, 'csv', 'users.csv');
      const original = readFileSync(file, 'utf8');
      const [header, ...rows] = parseCsv(original);
      const id = rows[0]![header!.indexOf('id')];
      rows[0]![header!.indexOf('city')] = 'Springfield-on-Nowhere';
      const violations = await violationsAfter(
        () => writeFileSync(file, csvText([header!, ...rows])),
        () => writeFileSync(file, original),
      );
      expect(violations.filter((v) => v.check === 'rule address')).toEqual([
        expect.objectContaining({
          table: 'users',
          where: `csv users.phone (id=${id})`,
          detail: expect.stringMatching(/^no real place has/),
        }),
      ]);
    });

    it('a city that is not at the ZIP code, a phone from another state (rule address)', async () => {
      const [a, b] = await q<{ id: number; city: string; phone: string; state: string }>(
        "SELECT id, city, phone, state FROM users WHERE phone IS NOT NULL AND state NOT IN ('NY', 'NJ') ORDER BY id LIMIT 2",
      );
      const violations = await violationsAfter(
        async () => {
          await env.db.query(`UPDATE users SET city = 'Springfield' WHERE id = ${a!.id} AND city <> 'Springfield'`);
          await env.db.query(`UPDATE users SET phone = '+1-212-555-0142' WHERE id = ${b!.id}`);
        },
        async () => {
          await env.db.query(`UPDATE users SET city = $$${a!.city}$$ WHERE id = ${a!.id}`);
          await env.db.query(`UPDATE users SET phone = '${b!.phone}' WHERE id = ${b!.id}`);
        },
      );
      const address = violations.filter((v) => v.check === 'rule address');
      expect(address).toEqual([
        expect.objectContaining({
          where: `users.phone (id=${a!.id})`,
          detail: expect.stringMatching(/^no real place has .*city Springfield/),
        }),
        expect.objectContaining({
          where: `users.phone (id=${b!.id})`,
          detail: expect.stringMatching(/phone \+1-212-555-0142 is not a number of/),
        }),
      ]);
      expect((await verify(env.db, p.model, p.out)).violations).toEqual([]);
    });
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
