import { describe, expect, it } from 'vitest';
import { en } from '@faker-js/faker';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModel } from '../../src/model/load.ts';
import { inferGenerator, type ColumnFacts } from '../../src/model/pull/generators.ts';
import { plannedCounts, seed } from '../../src/seed/seed.ts';
import { tempDir } from '../helpers/cleanup.ts';

const facts = (over: Partial<ColumnFacts>): ColumnFacts => ({
  table: 'things',
  name: 'x',
  type: 'text',
  nullable: false,
  unique: false,
  autoincrement: false,
  count: 100,
  siblings: [],
  parentTimes: [],
  ...over,
});
const rule = (over: Partial<ColumnFacts>) => inferGenerator(facts(over));

describe('generators inferred by name', () => {
  it.each([
    ['first_name', 'person.firstName'],
    ['last_name', 'person.lastName'],
    ['contact_name', 'person.fullName'],
    ['ship_name', 'person.fullName'],
    ['composer', 'person.fullName'],
    ['company_name', 'company.name'],
    ['homepage', 'internet.url'],
    ['username', 'internet.username'],
    ['title', 'company.catchPhrase'],
    ['special_features', 'word.noun'],
  ])('%s → faker %s', (name, method) => {
    expect(rule({ name }).generator).toMatchObject({ kind: 'faker', method });
  });

  it('names of things by the table they name', () => {
    expect(rule({ table: 'artist', name: 'name' }).generator).toEqual({ kind: 'faker', method: 'music.artist' });
    expect(rule({ table: 'genres', name: 'name' }).generator).toEqual({ kind: 'faker', method: 'music.genre' });
    expect(rule({ table: 'customers', name: 'name', unique: true }).generator).toEqual({
      kind: 'template',
      template: '{{person.fullName}} {row}',
    });
    expect(rule({ table: 'employees', name: 'extension', type: 'varchar(4)' }).generator).toEqual({ kind: 'pattern', pattern: '###' });
  });

  it('emails from the name columns, unique by construction; without them, a unique template where unique', () => {
    expect(rule({ name: 'email', siblings: ['first_name', 'last_name'] }).generator).toEqual({
      kind: 'email',
      from: ['first_name', 'last_name'],
    });
    expect(rule({ name: 'email', unique: true }).generator).toEqual({ kind: 'template', template: 'user{row}@example.com' });
  });

  it('addresses: one place per row, grouped by prefix; cities and postal codes; phones of the place', () => {
    const siblings = ['billing_city', 'billing_state', 'billing_postal_code', 'city', 'phone'];
    expect(rule({ name: 'billing_city', type: 'varchar(40)', siblings }).generator).toEqual({
      kind: 'address',
      part: 'city',
      group: 'billing',
    });
    expect(rule({ name: 'postal_code', type: 'varchar(10)', siblings }).generator).toEqual({ kind: 'address', part: 'postal_code' });
    expect(rule({ name: 'country', type: 'varchar(40)', siblings }).generator).toEqual({ kind: 'address', part: 'country' });
    expect(rule({ name: 'phone', type: 'varchar(24)', siblings }).generator).toEqual({ kind: 'address', part: 'phone' });
    // a phone with no place in its row, and a city too short for real names, fall back to Faker
    expect(rule({ name: 'phone', siblings: ['company_name'] }).generator).toEqual({ kind: 'faker', method: 'phone.number' });
    expect(rule({ name: 'city', type: 'varchar(5)', siblings }).generator).toEqual({ kind: 'faker', method: 'location.city' });
  });

  it('prices end in .99 within the column, amounts, quantities and ratings in sensible ranges', () => {
    expect(rule({ name: 'unit_price', type: 'decimal(4,2)' }).generator).toEqual({
      kind: 'range',
      min: 1,
      max: 99,
      skew: 2,
      step: 1,
      offset: -0.01,
    });
    expect(rule({ name: 'total', type: 'decimal(10,2)' }).generator).toMatchObject({ kind: 'range', min: 1, max: 1000 });
    expect(rule({ name: 'quantity', type: 'int' }).generator).toEqual({ kind: 'range', min: 1, max: 10, skew: 2 });
    expect(rule({ name: 'rating', type: 'int' }).generator).toMatchObject({ kind: 'choice', values: [1, 2, 3, 4, 5] });
  });

  it('timestamps after their parent rows where a foreign key gives the order, otherwise in the past', () => {
    const parentTimes = [{ via: 'order_id', column: 'created_at' }];
    expect(rule({ name: 'created_at', type: 'datetime', parentTimes }).generator).toEqual({
      kind: 'after',
      refs: parentTimes,
      maxDays: 365,
    });
    expect(rule({ name: 'created_at', type: 'datetime' }).generator).toMatchObject({ kind: 'range', min: '2023-01-01T00:00:00Z' });
    expect(rule({ name: 'birth_date', type: 'date', parentTimes }).generator).toMatchObject({ kind: 'range', min: '1950-01-01T00:00:00Z' });
  });

  it("a row's last update follows its creation (and its parents'), never its birth date or a deadline", () => {
    const parentTimes = [{ via: 'store_id', column: 'last_update' }];
    const siblingTimes = ['birth_date', 'create_date'];
    expect(rule({ name: 'last_update', type: 'timestamptz', parentTimes, siblingTimes }).generator).toEqual({
      kind: 'after',
      refs: [{ column: 'create_date' }, ...parentTimes],
      maxDays: 365,
    });
    for (const [name, siblings] of [
      ['updated_at', ['created_at', 'due_at']],
      ['modified_on', ['created_on']],
      ['last_modified_date', ['rental_date']],
    ] as const)
      expect(rule({ name, type: 'datetime', siblingTimes: [...siblings] }).generator, name).toEqual({
        kind: 'after',
        refs: [{ column: siblings[0] }],
        maxDays: 365,
      });
    // nothing to follow in the row: after the parents, or in the past
    expect(rule({ name: 'updated_at', type: 'datetime', siblingTimes: ['birth_date', 'due_at'] }).generator).toMatchObject({
      kind: 'range',
    });
    // the creation itself does not follow the update
    expect(rule({ name: 'created_at', type: 'datetime', siblingTimes: ['updated_at'] }).generator).toMatchObject({ kind: 'range' });
  });
});

describe('text reads like English and like the column', () => {
  it.each([
    ['film', 'title', 'book.title'],
    ['books', 'title', 'book.title'],
    ['products', 'title', 'commerce.productName'],
    ['tickets', 'subject', 'company.catchPhrase'],
    ['products', 'description', 'commerce.productDescription'],
    ['film', 'special_features', 'word.noun'],
  ])('%s.%s → %s', (table, name, method) => {
    expect(rule({ table, name }).generator).toEqual({ kind: 'faker', method });
  });

  it("a story's description is a plot of English words; unique text cannot repeat; no rule gives Latin", () => {
    expect(rule({ table: 'film', name: 'description' }).generator).toMatchObject({
      kind: 'template',
      template: expect.stringMatching(/^The \{\{word\.adjective\}\} tale/),
    });
    expect(rule({ table: 'film', name: 'title', unique: true }).generator).toEqual({ kind: 'template', template: '{{book.title}} {row}' });
    for (const name of ['title', 'description', 'body', 'comment', 'summary', 'label', 'misc'])
      for (const type of ['text', 'varchar(200)'])
        expect(JSON.stringify(rule({ name, type }).generator), `${name} ${type}`).not.toMatch(/lorem/);
  });

  it("seeds through the engine's own English Faker: English words, a capital first, no Latin", async () => {
    const columns: [string, string, string][] = [
      ['film', 'title', 'text'],
      ['film', 'description', 'text'],
      ['products', 'description', 'text'],
      ['tickets', 'subject', 'varchar(120)'],
      ['tickets', 'description', 'text'],
      ['tickets', 'body', 'text'],
      ['tickets', 'remark_code', 'text'],
      ['tickets', 'label', 'varchar(60)'],
    ];
    const model = {
      name: 'texts',
      tables: [...new Set(columns.map(([t]) => t))].map((t) => ({
        name: t,
        count: 50,
        destination: 'json',
        primaryKey: ['id'],
        columns: [
          { name: 'id', type: 'int', generate: { kind: 'sequence' } },
          ...columns.filter(([x]) => x === t).map(([, name, type]) => ({ name, type, generate: rule({ table: t, name, type }).generator })),
        ],
      })),
    };
    const out = tempDir('ecom-texts-');
    const m = parseModel(JSON.stringify(model), 'texts.json');
    await seed(undefined, m, { seed: 2, counts: plannedCounts(m), out });
    const latin = new Set((en.lorem!.word as string[]).filter((w) => w.length > 3));
    for (const [table, name] of columns) {
      const values = (JSON.parse(readFileSync(join(out, `json/${table}.json`), 'utf8')) as Record<string, string>[]).map((r) => r[name]!);
      expect(new Set(values).size, `${table}.${name}`).toBeGreaterThan(10);
      for (const v of values) {
        const words = v.toLowerCase().match(/[a-z]+/g) ?? [];
        expect(words.filter((w) => latin.has(w)).length, `${table}.${name}: ${v}`).toBeLessThanOrEqual(words.length / 4);
        if (name !== 'label') expect(v, `${table}.${name}`).toMatch(/^[A-Z0-9]/);
      }
    }
  });
});

describe('generators inferred by type and keys', () => {
  it('foreign keys: ref, skewed for customers, trees for self-references, distinct parents in join tables', () => {
    expect(rule({ name: 'product_id', type: 'int', foreignKey: { table: 'products', self: false, oneToOne: false } }).generator).toEqual({
      kind: 'ref',
    });
    expect(rule({ name: 'customer_id', type: 'int', foreignKey: { table: 'customers', self: false, oneToOne: false } }).generator).toEqual({
      kind: 'ref',
      spread: 'skewed',
    });
    expect(
      rule({ name: 'parent_id', type: 'int', nullable: true, count: 50, foreignKey: { table: 'things', self: true, oneToOne: false } })
        .generator,
    ).toEqual({
      kind: 'tree',
      roots: 10,
    });
    expect(
      rule({ name: 'tag_id', type: 'int', foreignKey: { table: 'tags', self: false, oneToOne: false, distinctPer: 'post_id' } }).generator,
    ).toEqual({
      kind: 'ref',
      distinctPer: 'post_id',
    });
    // a key other keys are distinct per keeps its children contiguous: no spread even for a customer
    expect(
      rule({ name: 'customer_id', type: 'int', foreignKey: { table: 'c', self: false, oneToOne: false, numbersSiblings: true } }).generator,
    ).toEqual({ kind: 'ref' });
  });

  it('enums: choice of their labels, list where unique; uuids; sequences for serial and unique integers', () => {
    expect(rule({ name: 'rating', type: 'text', labels: ['G', 'PG-13'] }).generator).toEqual({ kind: 'choice', values: ['G', 'PG-13'] });
    expect(rule({ name: 'code', type: 'text', labels: ['a', 'b'], unique: true }).generator).toEqual({ kind: 'list', values: ['a', 'b'] });
    expect(rule({ name: 'id', type: 'uuid' }).generator).toEqual({ kind: 'uuid' });
    expect(rule({ name: 'id', type: 'int', autoincrement: true }).generator).toEqual({ kind: 'sequence' });
    expect(rule({ name: 'number', type: 'bigint', unique: true }).generator).toEqual({ kind: 'sequence' });
  });

  it('the rest by type: booleans, numbers, dates, text; unique text cannot repeat', () => {
    expect(rule({ name: 'flagged', type: 'boolean' }).generator).toEqual({ kind: 'choice', values: [true, false] });
    expect(rule({ name: 'weight', type: 'float' }).generator).toEqual({ kind: 'range', min: 0, max: 1000 });
    expect(rule({ name: 'level', type: 'decimal(3,1)' }).generator).toEqual({ kind: 'range', min: 1, max: 99 });
    expect(rule({ name: 'label', type: 'varchar(40)', unique: true }).generator).toEqual({
      kind: 'template',
      template: '{{word.words}} {row}',
    });
    expect(rule({ name: 'code', type: 'varchar(5)', unique: true }).generator).toEqual({ kind: 'template', template: '{row}' });
  });
});
