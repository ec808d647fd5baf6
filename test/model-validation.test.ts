import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EcomError } from '../src/errors.ts';
import { parseModel } from '../src/model/load.ts';
import { describePlan } from '../src/model/plan.ts';

const base = (): any => ({
  name: 'shop',
  tables: [
    {
      name: 'users',
      count: 10,
      destination: 'csv',
      primaryKey: ['id'],
      columns: [
        { name: 'id', type: 'int', default: 'autoincrement' },
        { name: 'email', type: 'varchar(100)', unique: true },
        { name: 'created_at', type: 'datetime' },
      ],
    },
    {
      name: 'orders',
      count: 20,
      destination: 'postgres',
      primaryKey: ['id'],
      columns: [
        { name: 'id', type: 'int', default: 'autoincrement' },
        { name: 'user_id', type: 'int', references: { table: 'users', column: 'id' } },
        { name: 'total', type: 'decimal(10,2)' },
        { name: 'status', type: 'enum', values: ['new', 'done'] },
      ],
    },
  ],
});

type M = any;

function problemsOf(mutate: (m: M) => void) {
  const m = base() as M;
  mutate(m);
  try {
    parseModel(JSON.stringify(m), 'test.json');
  } catch (e) {
    expect(e).toBeInstanceOf(EcomError);
    return (e as EcomError).problems;
  }
  throw new Error('model was accepted');
}

const cases: [string, (m: M) => void, string, RegExp][] = [
  ['unknown type', (m) => (m.tables[0].columns[2].type = 'datetime2'), '/tables/0/columns/2/type', /unknown column type "datetime2"/],
  [
    'FK to a missing table',
    (m) => (m.tables[1].columns[1].references.table = 'customers'),
    '/tables/1/columns/1/references/table',
    /references missing table "customers"/,
  ],
  [
    'FK to a missing column',
    (m) => (m.tables[1].columns[1].references.column = 'uid'),
    '/tables/1/columns/1/references/column',
    /missing column "users.uid"/,
  ],
  [
    'FK type maps to another Prisma scalar than the PK type',
    (m) => (m.tables[1].columns[1].type = 'bigint'),
    '/tables/1/columns/1/type',
    /has type bigint \(Prisma BigInt\) but "users.id" is int \(Prisma Int\): a Prisma relation needs the same scalar type on both sides/,
  ],
  [
    'FK type differs from PK type with the same Prisma scalar (uuid, text)',
    (m) => {
      m.tables[0].columns[0] = { name: 'id', type: 'uuid', default: 'uuid' };
      m.tables[1].columns[1].type = 'text';
    },
    '/tables/1/columns/1/type',
    /foreign key "orders.user_id" has type text but "users.id" is uuid: PostgreSQL has no equality between text and uuid/,
  ],
  [
    'char FK referencing a varchar key',
    (m) => (m.tables[1].columns[1] = { name: 'user_email', type: 'char(100)', references: { table: 'users', column: 'email' } }),
    '/tables/1/columns/1/type',
    /has type char\(100\) but "users.email" is varchar\(100\): ecom takes a key of another type than the referenced key only for smallint → int/,
  ],
  [
    'smallint FK referencing an int key that is not numbered by autoincrement',
    (m) => {
      m.tables[0].columns[0] = { name: 'id', type: 'int', generate: { kind: 'sequence', start: 100000 } };
      m.tables[1].columns[1].type = 'smallint';
    },
    '/tables/1/columns/1/type',
    /"orders.user_id" is smallint, narrower than "users.id" \(int\), whose values ecom does not bound/,
  ],
  [
    'smallint FK referencing more rows than a smallint holds',
    (m) => {
      m.tables[0].count = 40000;
      m.tables[1].columns[1].type = 'smallint';
    },
    '/tables/1/columns/1/type',
    /"orders.user_id" is smallint \(at most 32767\), but "users.id" numbers its 40000 rows up to 40000/,
  ],
  [
    'unknown Faker method',
    (m) => ((m.tables[0].columns[1] as any).generate = { kind: 'faker', method: 'person.shoeSize' }),
    '/tables/0/columns/1/generate/method',
    /unknown Faker method "person.shoeSize"/,
  ],
  ['non-positive count', (m) => (m.tables[0].count = 0), '/tables/0/count', /at least 1/],
  ['duplicate table names', (m) => (m.tables[1].name = 'users'), '/tables/1/name', /duplicate table name "users"/],
  [
    'duplicate column names',
    (m) => (m.tables[1].columns[2].name = 'user_id'),
    '/tables/1/columns/2/name',
    /duplicate column name "user_id"/,
  ],
  [
    'cycle whose every key is part of a primary key',
    (m) => {
      m.tables[0].columns.push({ name: 'last_order_id', type: 'int', references: { table: 'orders', column: 'id' } } as any);
      m.tables[0].primaryKey = ['id', 'last_order_id'];
      m.tables[1].primaryKey = ['id', 'user_id'];
    },
    '/tables/0/columns/3/references',
    /cycle whose every key is part of its table's primary key, so none can be loaded as NULL and set after: users → orders → users/,
  ],
  [
    'primary key names a missing column',
    (m) => (m.tables[0].primaryKey = ['uid']),
    '/tables/0/primaryKey/0',
    /primary key column "uid" does not exist/,
  ],
  [
    'enum without values',
    (m) => delete (m.tables[1].columns[3] as any).values,
    '/tables/1/columns/3/values',
    /enum column "status" has no values/,
  ],
  [
    'decimal scale above precision',
    (m) => (m.tables[1].columns[2].type = 'decimal(4,6)'),
    '/tables/1/columns/2/type',
    /decimal\(4,6\) is invalid/,
  ],
  ['name not snake_case', (m) => (m.tables[1].name = 'Order Items'), '/tables/1/name', /snake_case/],
  ['unknown destination', (m) => (m.tables[0].destination = 'parquet'), '/tables/0/destination', /Invalid option/i],
  [
    'range min above max',
    (m) => ((m.tables[1].columns[2] as any).generate = { kind: 'range', min: 50, max: 5 }),
    '/tables/1/columns/2/generate/min',
    /min 50 is greater than max 5/,
  ],
  [
    'copy via a column that is not a FK',
    (m) => ((m.tables[1].columns[2] as any).generate = { kind: 'copy', via: 'status', column: 'id' }),
    '/tables/1/columns/2/generate/via',
    /"status" is not a foreign-key column/,
  ],
  [
    'choice value outside the enum',
    (m) => ((m.tables[1].columns[3] as any).generate = { kind: 'choice', values: ['new', 'lost'] }),
    '/tables/1/columns/3/generate/values/1',
    /"lost" is not a value of enum column/,
  ],
  [
    'nullRate on a non-nullable column',
    (m) => ((m.tables[1].columns[2] as any).nullRate = 0.5),
    '/tables/1/columns/2/nullRate',
    /non-nullable/,
  ],
  [
    'unique column with a repeating generator',
    (m) => ((m.tables[0].columns[1] as any).generate = { kind: 'faker', method: 'internet.email' }),
    '/tables/0/columns/1/generate',
    /can repeat values/,
  ],
  [
    'sum over a table that does not reference this one',
    (m) =>
      (m.tables[0].columns as any[]).push({
        name: 'spent',
        type: 'decimal(10,2)',
        generate: { kind: 'sum', table: 'orders', via: 'status', multiply: ['total'] },
      }),
    '/tables/0/columns/3/generate/via',
    /"orders.status" is not a foreign key to "users"/,
  ],
  ['unknown key (typo)', (m) => ((m.tables[0] as any).colums = []), '/tables/0', /Unrecognized key/i],
  [
    'index on a missing column',
    (m) => ((m.tables[1] as any).indexes = [{ columns: ['created'] }]),
    '/tables/1/indexes/0/columns/0',
    /index column "created" does not exist/,
  ],
  [
    'template naming a missing column',
    (m) => ((m.tables[0].columns[1] as any).generate = { kind: 'template', template: '{first_name}-{row}@x.test' }),
    '/tables/0/columns/1/generate/template',
    /unknown column "first_name"/,
  ],
  [
    'tables that become the same Prisma model',
    (m) => m.tables.push(table('order')),
    '/tables/2/name',
    /table "order" and table "orders" both become the Prisma model or enum "Order"/,
  ],
  [
    'a table named like the enum of a column',
    (m) => m.tables.push(table('order_status')),
    '/tables/2/name',
    /table "order_status" and enum column "orders.status" both become the Prisma model or enum "OrderStatus"/,
  ],
  [
    'a table named like a Prisma scalar type',
    (m) => m.tables.push(table('strings')),
    '/tables/2/name',
    /becomes .* "String", a reserved name/,
  ],
  [
    'columns that become the same Prisma field',
    (m) => m.tables[1].columns.push({ name: 'total_2', type: 'int' }, { name: 'total2', type: 'int' }),
    '/tables/1/columns/5/name',
    /column "orders.total2" and column "orders.total_2" both become a field of model Order "total2"/,
  ],
  [
    'a back-relation named like a column of the parent',
    (m) => m.tables[0].columns.push({ name: 'orders', type: 'int' }),
    '/tables/1/name',
    /the back-relation of foreign key "orders.user_id" and column "users.orders" both become a field of model User "orders"/,
  ],
  [
    'a table named like a TypeScript keyword',
    (m) => m.tables.push({ ...table('class'), destination: 'csv' }),
    '/tables/2/name',
    /table "class" becomes the seeder identifier "class", a reserved name/,
  ],
];

/** The types and shapes of real schemas (issue 9): what they reject, each at its pointer. */
const col = (m: M, column: object) => m.tables[1].columns.push(column);
const typeCases: [string, (m: M) => void, string, RegExp][] = [
  [
    'a timestamp precision above 6',
    (m) => (m.tables[0].columns[2].type = 'timestamp(7)'),
    '/tables/0/columns/2/type',
    /timestamp precision 7 is invalid/,
  ],
  ['a char of length 0', (m) => (m.tables[0].columns[2].type = 'char(0)'), '/tables/0/columns/2/type', /char length must be 1-10485760/],
  [
    'a shared enum type with other values',
    (m) => {
      m.tables[1].columns[3].enum = 'status';
      col(m, { name: 'previous', type: 'enum', enum: 'status', values: ['done', 'new'] });
    },
    '/tables/1/columns/4/values',
    /"orders.previous" and "orders.status" share enum type "status" but list different values/,
  ],
  [
    '"enum" on a text column',
    (m) => (m.tables[0].columns[1].enum = 'mail'),
    '/tables/0/columns/1/enum',
    /"enum" names the type of an enum column/,
  ],
  [
    'an unknown native type',
    (m) => col(m, { name: 'mac', type: 'string', native: 'MacAddr' }),
    '/tables/1/columns/4/native',
    /unknown native type "MacAddr"/,
  ],
  [
    'a native type that needs an extension',
    (m) => col(m, { name: 'c', type: 'text', native: 'Citext' }),
    '/tables/1/columns/4/native',
    /"Citext" is not supported/,
  ],
  [
    'a native type the model names',
    (m) => col(m, { name: 'c', type: 'text', native: 'Text' }),
    '/tables/1/columns/4/native',
    /"Text" is a model type/,
  ],
  [
    'a native type on the wrong type',
    (m) => col(m, { name: 'o', type: 'text', native: 'Oid' }),
    '/tables/1/columns/4/native',
    /"Oid" needs a column of type int/,
  ],
  [
    'an array foreign key',
    (m) => (m.tables[1].columns[1].type = 'int[]'),
    '/tables/1/columns/1/type',
    /foreign key "orders.user_id" is an array/,
  ],
  [
    'a composite foreign key',
    (m) => (m.tables[1].foreignKeys = [{ columns: ['user_id'], references: { table: 'users', columns: ['id'] } }]),
    '/tables/1',
    /Unrecognized key/,
  ],
  [
    'SetDefault without a default',
    (m) => (m.tables[1].columns[1].references.onDelete = 'SetDefault'),
    '/tables/1/columns/1/references/onDelete',
    /onDelete "SetDefault" needs a default/,
  ],
  [
    'onUpdate SetNull on a required key',
    (m) => (m.tables[1].columns[1].references.onUpdate = 'SetNull'),
    '/tables/1/columns/1/references/onUpdate',
    /onUpdate "SetNull" needs a nullable column/,
  ],
  [
    'a primary key named like a table',
    (m) => (m.tables[1].primaryKeyName = 'users'),
    '/tables/1/primaryKeyName',
    /the name "users" is already taken/,
  ],
  [
    'two foreign keys of a table with one name',
    (m) => {
      m.tables[1].columns[1].references.name = 'fk';
      col(m, { name: 'buyer_id', type: 'int', references: { table: 'users', column: 'id', name: 'fk' } });
    },
    '/tables/1/columns/4/references/name',
    /constraint name "fk" is already used in table "orders"/,
  ],
  [
    'a literal default on bytea',
    (m) => col(m, { name: 'b', type: 'bytea', default: 'x' }),
    '/tables/1/columns/4/default',
    /literal default is not supported on bytea/,
  ],
  [
    'a jsonb column in a PostgreSQL unique key',
    (m) => col(m, { name: 'doc', type: 'jsonb', unique: true }),
    '/tables/1/columns/4/unique',
    /includes jsonb column "doc", which cannot be part of a key/,
  ],
  [
    'a generator of single values on an array column',
    (m) => col(m, { name: 'tags', type: 'text[]', generate: { kind: 'faker', method: 'lorem.word' } }),
    '/tables/1/columns/4/generate',
    /"faker" cannot generate array column "tags"/,
  ],
  [
    'an element generator for another type',
    (m) => col(m, { name: 'tags', type: 'text[]', generate: { kind: 'array', of: { kind: 'sequence' } } }),
    '/tables/1/columns/4/generate/of',
    /"sequence" needs an int, smallint or bigint column, and "tags" is text/,
  ],
  [
    '"after" on a time of day',
    (m) => col(m, { name: 'at', type: 'time', generate: { kind: 'after', refs: [{ via: 'user_id', column: 'created_at' }], maxDays: 1 } }),
    '/tables/1/columns/4/generate',
    /"after" needs a date, datetime, timestamp or timestamptz column, and "at" is time\(6\)/,
  ],
  [
    '"where" with a spread',
    (m) => (m.tables[1].columns[1].generate = { kind: 'ref', spread: 'skewed', where: { email: ['x'] } }),
    '/tables/1/columns/1/generate/spread',
    /"spread" does not go with "where"/,
  ],
  [
    '"where" naming a missing parent column',
    (m) => (m.tables[1].columns[1].generate = { kind: 'ref', where: { role: ['x'] } }),
    '/tables/1/columns/1/generate/where',
    /column "role" of "role" does not exist in table "users"/,
  ],
  [
    'a one-to-one key with more rows than parents',
    (m) => (m.tables[1].columns[1].generate = { kind: 'ref', spread: 'once' }),
    '/tables/1/count',
    /its unique foreign key "user_id" can use each of the 10 rows of "users" only once/,
  ],
  [
    'a tree with more levels than rows',
    (m) =>
      col(m, {
        name: 'parent_id',
        type: 'int',
        nullable: true,
        references: { table: 'orders', column: 'id' },
        generate: { kind: 'tree', roots: 5, levels: 17 },
      }),
    '/tables/1/columns/4/generate/levels',
    /17 levels need a row for each level below the roots, and there are 15/,
  ],
  [
    'a string default on an int',
    (m) => col(m, { name: 'n', type: 'int', default: '5' }),
    '/tables/1/columns/4/default',
    /default "5" is not an integer/,
  ],
  [
    'a default too long for char(2)',
    (m) => col(m, { name: 'c', type: 'char(2)', default: 'abc' }),
    '/tables/1/columns/4/default',
    /is longer than char\(2\) holds/,
  ],
  [
    'a jsonb default that is no JSON',
    (m) => col(m, { name: 'j', type: 'jsonb', default: '{x' }),
    '/tables/1/columns/4/default',
    /is not JSON text/,
  ],
  [
    'an enum label over 63 bytes',
    (m) => (m.tables[1].columns[3].values = ['new', 'x'.repeat(64)]),
    '/tables/1/columns/3/values/1',
    /longer than PostgreSQL's 63 bytes/,
  ],
  [
    'a smallint range too wide',
    (m) => col(m, { name: 'n', type: 'smallint', generate: { kind: 'range', min: 0, max: 40000 } }),
    '/tables/1/columns/4/generate',
    /does not fit a smallint column/,
  ],
];

/** A table of the base model's shape, with an id only. */
function table(name: string) {
  return { name, count: 1, destination: 'postgres', primaryKey: ['id'], columns: [{ name: 'id', type: 'int' }] };
}

describe('model validation', () => {
  it.each([...cases, ...typeCases])('rejects: %s', (_name, mutate, pointer, message) => {
    const problems = problemsOf(mutate);
    const hit = problems.find((p) => p.pointer === pointer);
    expect(hit, JSON.stringify(problems, null, 2)).toBeDefined();
    expect(hit!.message).toMatch(message);
  });

  it('says how to fix a name collision, and where the other name comes from', () => {
    const [problem] = problemsOf((m) => m.tables.push(table('order')));
    expect(problem!.hint).toBe('rename table "order", or rename table "orders" (/tables/1/name)');
  });

  it('reports every problem at once', () => {
    const problems = problemsOf((m) => {
      m.tables[0].count = -1;
      m.tables[1].columns[1].references.table = 'nope';
    });
    // zod shape errors stop semantic checks, so use two semantic ones
    expect(problems.length).toBeGreaterThanOrEqual(1);
    const more = problemsOf((m) => {
      m.tables[0].columns[2].type = 'datetime2';
      m.tables[1].columns[1].references.table = 'nope';
      m.tables[1].columns[2].type = 'decimal(2,5)';
    });
    expect(more.map((p) => p.pointer)).toEqual([
      '/tables/0/columns/2/type',
      '/tables/1/columns/1/references/table',
      '/tables/1/columns/2/type',
    ]);
    expect(more.every((p) => p.hint)).toBe(true);
  });

  it('points at the line and column of a JSON syntax error', () => {
    try {
      parseModel('{\n  "name": "x",\n  "tables": [,]\n}', 'bad.json');
      throw new Error('accepted');
    } catch (e) {
      expect((e as EcomError).message).toBe('bad.json is not valid JSON');
      expect((e as EcomError).problems[0]).toMatchObject({ location: 'bad.json:3:14', message: 'expected a value' });
    }
  });

  it('gives semantic problems the line and column of the JSON they point at', () => {
    const m = base() as M;
    m.tables[1].columns[1].references.table = 'nope';
    m.tables[0].count = 0;
    const text = JSON.stringify(m, null, 2);
    const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    const columnOf = (needle: string) => text.split('\n')[lineOf(needle) - 1]!.indexOf(needle) + 1;
    const problems = (() => {
      try {
        parseModel(text, 'shop.json');
      } catch (e) {
        return (e as EcomError).problems;
      }
      throw new Error('accepted');
    })();
    // zod reports the shape problem first; the semantic check runs on a model of the right shape
    expect(problems.find((p) => p.pointer === '/tables/0/count')!.location).toBe(
      `shop.json:${lineOf('"count": 0')}:${columnOf('"count": 0')}`,
    );
    m.tables[0].count = 10;
    const semantic = JSON.stringify(m, null, 2);
    try {
      parseModel(semantic, 'shop.json');
    } catch (e) {
      const hit = (e as EcomError).problems.find((p) => p.pointer === '/tables/1/columns/1/references/table')!;
      const line = semantic.split('\n').findIndex((l) => l.includes('"table": "nope"')) + 1;
      expect(hit.location).toBe(`shop.json:${line}:${semantic.split('\n')[line - 1]!.indexOf('"table"') + 1}`);
    }
    expect.assertions(2);
  });

  it('accepts a cycle broken by a nullable FK and defers that key', () => {
    const m = base() as M;
    m.tables[0].columns.push({ name: 'last_order_id', type: 'int', nullable: true, references: { table: 'orders', column: 'id' } } as any);
    const model = parseModel(JSON.stringify(m));
    expect(model.tables.map((t) => t.name)).toEqual(['users', 'orders']);
    expect(model.deferred.map((c) => `${c.table}.${c.name}`)).toEqual(['users.last_order_id']);
  });

  it('accepts a cycle of NOT NULL keys and defers one key per cycle, of the table declared first', () => {
    const m = base() as M;
    m.tables[0].columns.push({ name: 'last_order_id', type: 'int', references: { table: 'orders', column: 'id' } } as any);
    expect(parseModel(JSON.stringify(m)).deferred.map((c) => `${c.table}.${c.name}`)).toEqual(['users.last_order_id']);
    m.tables.reverse();
    expect(parseModel(JSON.stringify(m)).deferred.map((c) => `${c.table}.${c.name}`)).toEqual(['orders.user_id']);
  });

  it('prefers a nullable key to a NOT NULL key', () => {
    const m = base() as M;
    m.tables[0].columns.push({ name: 'last_order_id', type: 'int', references: { table: 'orders', column: 'id' } } as any);
    m.tables[1].columns[1].nullable = true;
    expect(parseModel(JSON.stringify(m)).deferred.map((c) => `${c.table}.${c.name}`)).toEqual(['orders.user_id']);
  });

  it('accepts keys of a narrower integer type and of another text type than the referenced key', () => {
    const m = base() as M;
    m.tables[1].columns[1].type = 'smallint';
    m.tables.push({
      name: 'emails',
      count: 5,
      destination: 'csv',
      primaryKey: ['address'],
      columns: [{ name: 'address', type: 'text', references: { table: 'users', column: 'email' } }],
    });
    expect(parseModel(JSON.stringify(m)).table('orders').columns[1]!.type).toEqual({ base: 'smallint' });
  });
});

describe('the e-commerce model', () => {
  const model = parseModel(readFileSync('ecommerce_model.json', 'utf8'));

  it('derives PostgreSQL copies for tables referenced from PostgreSQL, and nothing for reviews', () => {
    const plan = Object.fromEntries(
      model.tables.map((t) => [t.name, { pg: t.inPostgres, file: t.file ?? null, because: t.postgresBecause }]),
    );
    expect(plan).toEqual({
      categories: { pg: true, file: null, because: [] },
      users: { pg: true, file: 'csv', because: ['orders'] },
      products: { pg: true, file: 'json', because: ['order_items'] },
      orders: { pg: true, file: null, because: [] },
      order_items: { pg: true, file: null, because: [] },
      reviews: { pg: false, file: 'csv', because: [] },
    });
    expect(describePlan(model)).toContain('users            150 rows  → postgres + csv (PostgreSQL copy: referenced by orders)');
  });

  it('orders tables parents first', () => {
    expect(model.tables.map((t) => t.name)).toEqual(['categories', 'users', 'products', 'orders', 'order_items', 'reviews']);
    expect(model.tables.map((t) => t.count)).toEqual([25, 150, 300, 200, 500, 200]);
  });
});
