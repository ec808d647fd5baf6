import { describe, expect, it } from 'vitest';
import { EcomError, type Problem } from '../../../src/errors.ts';
import { parseModel } from '../../../src/model/load.ts';
import { generatorSchema, type Generator } from '../../../src/model/schema.ts';
import { generators } from '../../../src/seed/generators/index.ts';

const base = (): any => ({
  name: 'kinds',
  tables: [
    {
      name: 'parents',
      count: 5,
      destination: 'csv',
      primaryKey: ['id'],
      columns: [
        { name: 'id', type: 'int' },
        { name: 'name', type: 'varchar(40)' },
        { name: 'kind', type: 'enum', values: ['a', 'b'] },
        { name: 'total', type: 'decimal(10,2)' },
      ],
    },
    {
      name: 'children',
      count: 10,
      destination: 'json',
      primaryKey: ['id'],
      columns: [
        { name: 'id', type: 'int' },
        { name: 'parent_id', type: 'int', references: { table: 'parents', column: 'id' } },
        { name: 'qty', type: 'int' },
        { name: 'at', type: 'datetime' },
        { name: 'label', type: 'varchar(20)' },
        { name: 'code', type: 'varchar(20)', unique: true },
      ],
    },
  ],
});

/** The problems of the base model with `generate` set on one column (none when it is accepted). */
function problemsWith(table: number, column: number, generate: unknown): Problem[] {
  const model = base();
  model.tables[table].columns[column].generate = generate;
  try {
    parseModel(JSON.stringify(model), 'kinds.json');
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(EcomError);
    return (e as EcomError).problems;
  }
}

type Case = [table: number, column: number, generate: Generator, pointer: string | undefined, message?: RegExp];

// One representative problem per kind; typed by kind, so a new kind without a case fails type-checking.
// pattern and list have nothing of their own to check: their case is their cannotRepeat fact on a unique column.
const cases: { [K in Generator['kind']]: Case } = {
  faker: [0, 1, { kind: 'faker', method: 'person.nope' }, '/tables/0/columns/1/generate/method', /unknown Faker method "person.nope"/],
  range: [0, 1, { kind: 'range', min: 1, max: 2 }, '/tables/0/columns/1/generate', /"range" needs a numeric or date column/],
  choice: [0, 2, { kind: 'choice', values: ['a', 'z'] }, '/tables/0/columns/2/generate/values/1', /"z" is not a value of enum column/],
  pattern: [1, 5, { kind: 'pattern', pattern: 'AB-##' }, '/tables/1/columns/5/generate', /uses a "pattern" generator, which can repeat/],
  template: [0, 1, { kind: 'template', template: '{nope}' }, '/tables/0/columns/1/generate/template', /unknown column "nope"/],
  email: [0, 1, { kind: 'email', from: ['nope'] }, '/tables/0/columns/1/generate/from/0', /column "nope" does not exist/],
  uuid: [0, 3, { kind: 'uuid' }, '/tables/0/columns/3/generate', /"uuid" generator on decimal\(10,2\) column "total"/],
  sequence: [0, 1, { kind: 'sequence' }, '/tables/0/columns/1/generate', /"sequence" needs an int, smallint or bigint column/],
  ref: [0, 1, { kind: 'ref' }, '/tables/0/columns/1/generate', /"ref" generator on "name", which is not a foreign key/],
  tree: [1, 1, { kind: 'tree', roots: 1 }, '/tables/1/columns/1/generate', /"tree" needs a foreign key to its own table/],
  copy: [1, 4, { kind: 'copy', via: 'qty', column: 'name' }, '/tables/1/columns/4/generate/via', /"qty" is not a foreign-key column/],
  after: [
    1,
    3,
    { kind: 'after', refs: [{ via: 'parent_id', column: 'name' }], maxDays: 1 },
    '/tables/1/columns/3/generate/refs/0/column',
    /"parents.name" is not a date, datetime, timestamp or timestamptz/,
  ],
  before: [
    1,
    3,
    { kind: 'before', refs: [{ column: 'at' }], maxDays: 1 },
    '/tables/1/columns/3/generate/refs/0/column',
    /"at" cannot be before itself/,
  ],
  bytes: [1, 4, { kind: 'bytes' }, '/tables/1/columns/4/generate', /"bytes" needs a bytea column, and "label" is varchar\(20\)/],
  array: [1, 2, { kind: 'array' }, '/tables/1/columns/2/generate', /"array" needs an array column \(such as text\[\]\), and "qty" is int/],
  sum: [
    0,
    3,
    { kind: 'sum', table: 'children', via: 'qty', multiply: ['qty'] },
    '/tables/0/columns/3/generate/via',
    /"children.qty" is not a foreign key to "parents"/,
  ],
  byRef: [
    1,
    4,
    { kind: 'byRef', via: 'parent_id', column: 'kind', cases: { 'a/b': { kind: 'sequence' } } },
    '/tables/1/columns/4/generate/cases/a~1b',
    /"sequence" needs an int, smallint or bigint column/,
  ],
  match: [1, 4, { kind: 'match', column: 'nope', cases: {} }, '/tables/1/columns/4/generate/column', /column "nope" does not exist/],
  list: [1, 5, { kind: 'list', values: ['x', 'y'] }, undefined],
  address: [1, 2, { kind: 'address', part: 'city' }, '/tables/1/columns/2/generate', /part "city" needs a text column, and "qty" is int/],
};

describe('generator registry', () => {
  it('has one kind for every generator of the model schema', () => {
    const union = (generatorSchema as any).unwrap();
    const kinds = union.options.map((o: any) => o.shape.kind.value as string);
    expect(Object.keys(generators).sort()).toEqual([...kinds].sort());
    expect(Object.keys(cases).sort()).toEqual([...kinds].sort());
  });

  it.each(Object.entries(cases))(
    '%s reports a representative problem at its pointer',
    (_kind, [table, column, generate, pointer, message]) => {
      const problems = problemsWith(table, column, generate);
      if (pointer === undefined) expect(problems).toEqual([]);
      else expect(problems).toContainEqual(expect.objectContaining({ pointer, message: expect.stringMatching(message!) }));
    },
  );

  it('counts nested generators in the facts of their switch', () => {
    const repeats = { kind: 'template', template: 'x' };
    expect(problemsWith(1, 5, { kind: 'match', column: 'label', cases: { a: { kind: 'list', values: ['x'] } }, default: repeats })).toEqual(
      [expect.objectContaining({ pointer: '/tables/1/columns/5/generate', message: expect.stringMatching(/uses a "match" generator/) })],
    );
    expect(problemsWith(1, 4, { kind: 'match', column: 'qty', cases: {}, default: { kind: 'template', template: '{label}' } })).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/depend on each other in a circle: label → label/) }),
    ]);
  });
});
