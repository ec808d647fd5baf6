import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseModel } from '../../src/model/load.ts';
import { escapeHtml, html } from '../../src/report/html.ts';
import { binningOf, binOf, binSql, compareText, MAX_BINS } from '../../src/report/measures.ts';
import { fanOutOf } from '../../src/report/profile.ts';
import { PG_ADMIN_URL } from '../helpers/databases.ts';

const model = parseModel(
  JSON.stringify({
    name: 'types',
    tables: [
      {
        name: 'things',
        count: 1,
        destination: 'postgres',
        primaryKey: ['id'],
        columns: ['int', 'decimal(12,2)', 'float', 'date', 'datetime'].map((type, i) => ({ name: i === 0 ? 'id' : `c${i}`, type })),
      },
    ],
  }),
);
const [intColumn, decimalColumn, floatColumn, dateColumn] = model.table('things').columns;

describe('text order', () => {
  it('is code-point order, as PostgreSQL\'s "C" collation (UTF-8 bytes), astral characters included', () => {
    const sign = (n: number) => Math.sign(n);
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        expect(sign(compareText(a, b))).toBe(sign(Buffer.compare(Buffer.from(a), Buffer.from(b))));
      }),
      { numRuns: 2000 },
    );
    expect(compareText('\u{1F600}', '\uFFFD')).toBeGreaterThan(0); // JS's `<` says the opposite
  });
});

describe('histogram bins', () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: PG_ADMIN_URL });
    await client.connect();
  });
  afterAll(() => client.end());

  /** The bins PostgreSQL puts `values` in, with the SQL the profiler runs. */
  async function sqlBins(b: ReturnType<typeof binningOf>, values: number[]): Promise<number[]> {
    const bin = binSql(b, 'x');
    const { rows } = await client.query<{ bin: number }>(
      `SELECT ${bin.sql} AS bin FROM unnest($${bin.params.length + 1}::float8[]) WITH ORDINALITY AS v(x, i) ORDER BY i`,
      [...bin.params, values],
    );
    return rows.map((r) => r.bin);
  }

  it('hold every value from min to max, and PostgreSQL puts each value in the same bin as JS', async () => {
    const columnsAndValues = fc.oneof(
      fc.tuple(fc.constant(intColumn!), fc.array(fc.integer({ min: -1e9, max: 1e9 }), { minLength: 1, maxLength: 40 })),
      fc.tuple(fc.constant(dateColumn!), fc.array(fc.integer({ min: -40_000, max: 40_000 }), { minLength: 1, maxLength: 40 })),
      fc.tuple(
        fc.constantFrom(decimalColumn!, floatColumn!),
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 40 }),
      ),
      // cents, many on bin edges
      fc.tuple(
        fc.constant(decimalColumn!),
        fc.array(
          fc.integer({ min: 0, max: 2000 }).map((n) => n / 100),
          { minLength: 1, maxLength: 40 },
        ),
      ),
    );
    await fc.assert(
      fc.asyncProperty(columnsAndValues, async ([column, values]) => {
        const lower = Math.min(...values);
        const upper = Math.max(...values);
        const b = binningOf(column, lower, upper);
        const bins = b.edges.length + 1;
        expect(bins).toBeLessThanOrEqual(MAX_BINS);
        const js = values.map((v) => binOf(b, v));
        expect(js[values.indexOf(lower)]).toBe(0);
        expect(js[values.indexOf(upper)]).toBe(bins - 1);
        expect(await sqlBins(b, values)).toEqual(js);
      }),
      { numRuns: 200 },
    );
  });

  it('are whole numbers for integers: one per value up to 20 values', () => {
    expect(binningOf(intColumn!, 1, 5).edges).toEqual([2, 3, 4, 5]);
    expect(binningOf(intColumn!, 1, 21).edges).toEqual([3, 5, 7, 9, 11, 13, 15, 17, 19, 21]);
    expect(binningOf(floatColumn!, 3, 3).edges).toEqual([]);
    expect(binningOf(floatColumn!, 0, 20).edges).toHaveLength(MAX_BINS - 1);
  });
});

describe('fan-out', () => {
  it('adds the parents nobody references and takes its mean over all parents', () => {
    expect(
      fanOutOf('users.id', 10, [
        [1, 4],
        [3, 2],
      ]),
    ).toEqual({
      parent: 'users.id',
      parents: 10,
      min: 0,
      max: 3,
      mean: 1,
      distribution: [
        { children: 0, parents: 4 },
        { children: 1, parents: 4 },
        { children: 3, parents: 2 },
      ],
    });
    expect(fanOutOf('users.id', 0, [])).toMatchObject({ parents: 0, min: 0, max: 0, mean: 0, distribution: [] });
  });
});

describe('HTML escaping', () => {
  it('turns any text into text: no markup characters survive, entities decode back to it', () => {
    const decode = (s: string) =>
      s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const escaped = escapeHtml(s);
        expect(escaped).not.toMatch(/[<>"']/);
        expect(decode(escaped)).toBe(s);
        expect(html`<p title="${s}">${s}</p>`.text).toBe(`<p title="${escaped}">${escaped}</p>`);
      }),
    );
    // prettier-ignore
    expect(html`<ul>${['<a>', html`<li>${'&'}</li>`]}</ul>`.text).toBe('<ul>&lt;a&gt;<li>&amp;</li></ul>');
  });
});
