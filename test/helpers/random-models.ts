import fc from 'fast-check';

/*
 * Random small models full of keys: unique and nullable foreign keys, one-column and composite
 * primary keys, unique indexes over any columns, spreads, distinctPer, one-to-one, parents drawn by
 * "where", three-level trees, small counts, and columns of every type (arrays, bytea, times, jsonb,
 * enum labels, a native type) with their generators. The property tests that use them hold that
 * each either fails validation, every problem pointing at something in the model, or goes the
 * whole way.
 */

/** Tables in a random model at most. */
export const TABLES = 4;

const fkSpec = fc.record({
  to: fc.nat({ max: TABLES - 1 }),
  unique: fc.boolean(),
  nullable: fc.boolean(),
  generate: fc.oneof(
    { arbitrary: fc.constant('none'), weight: 4 },
    fc.constantFrom('ref', 'uniform', 'skewed', 'partition', 'distinctPer', 'once', 'where', 'tree3'),
  ),
});

/** Columns of the types and shapes real schemas have, one or none per table. */
const EXTRAS: Record<string, Record<string, unknown>[]> = {
  none: [],
  smallint: [{ name: 'x', type: 'smallint' }],
  real: [{ name: 'x', type: 'real' }],
  char: [{ name: 'x', type: 'char(5)' }],
  timestamp: [
    { name: 'x', type: 'timestamp(3)' },
    { name: 'y', type: 'timestamp(0)', nullable: true, generate: { kind: 'after', refs: [{ column: 'x' }], maxDays: 5 } },
    { name: 'z', type: 'timestamptz', generate: { kind: 'before', refs: [{ column: 'x' }], maxDays: 5 } },
  ],
  time: [
    { name: 'x', type: 'time' },
    { name: 'y', type: 'timetz(0)' },
  ],
  bytea: [{ name: 'x', type: 'bytea', nullable: true, nullRate: 0.2 }],
  jsonb: [{ name: 'x', type: 'jsonb' }],
  arrays: [
    { name: 'x', type: 'text[]' },
    { name: 'y', type: 'int[]', generate: { kind: 'array', min: 1, max: 4 } },
    { name: 'z', type: 'enum[]', values: ['PG-13', 'NC-17', 'a,b', 'with "quotes"'], generate: { kind: 'array', max: 4, distinct: true } },
  ],
  labels: [{ name: 'x', type: 'enum', enum: 'shared_labels', values: ['PG-13', 'NC 17', '1st'] }],
  native: [{ name: 'x', type: 'string', native: 'Inet' }],
};

function tableSpec(destinations: string[]) {
  return fc.record({
    count: fc.integer({ min: 1, max: 30 }),
    destination: fc.constantFrom(...destinations),
    fks: fc.array(fkSpec, { maxLength: 3 }),
    code: fc.constantFrom('none', 'int', 'unique int', 'unique date', 'unique pattern', 'unique smallint', 'unique char'),
    extra: fc.constantFrom(...Object.keys(EXTRAS)),
    key: fc.constantFrom('id', 'first fk', 'fks', 'fk and code'),
    indexes: fc.array(fc.array(fc.nat({ max: 5 }), { minLength: 1, maxLength: 3 }), { maxLength: 2 }),
  });
}

type TableSpec = ReturnType<typeof tableSpec> extends fc.Arbitrary<infer T> ? T : never;

/** Lists of table specs for `buildModel`, their tables going to one of `destinations`. */
export const randomTables = (destinations: string[]) => fc.array(tableSpec(destinations), { minLength: 1, maxLength: TABLES });

export function buildModel(specs: TableSpec[]) {
  const tables = specs.map((spec, ti) => {
    const columns: Record<string, unknown>[] = [{ name: 'id', type: 'int' }];
    const fks: string[] = [];
    spec.fks.forEach((f, k) => {
      const name = `fk${k}_id`;
      const target = f.to % specs.length;
      const to = target >= ti && !f.nullable ? ti - 1 : target; // later tables and self only through nullable keys
      if (to < 0) return;
      const generate =
        f.generate === 'none'
          ? undefined
          : f.generate === 'distinctPer'
            ? fks.length > 0
              ? { kind: 'ref', distinctPer: fks[0] }
              : undefined
            : f.generate === 'ref'
              ? { kind: 'ref' }
              : f.generate === 'where'
                ? { kind: 'ref', where: { id: [1, 2, 3] } }
                : f.generate === 'tree3'
                  ? { kind: 'tree', roots: 1, levels: 3 }
                  : { kind: 'ref', spread: f.generate };
      fks.push(name);
      columns.push({
        name,
        type: 'int',
        references: { table: `t${to}`, column: 'id' },
        ...(f.unique ? { unique: true } : {}),
        ...(f.nullable ? { nullable: true, nullRate: 0.2 } : {}),
        ...(generate ? { generate } : {}),
      });
    });
    if (spec.code !== 'none') {
      const [unique, type] = spec.code.startsWith('unique ') ? [true, spec.code.slice(7)] : [false, spec.code];
      const patterned = type === 'pattern' || type === 'char';
      columns.push({
        name: 'code',
        type: type === 'pattern' ? 'varchar(20)' : type === 'char' ? 'char(12)' : type,
        ...(unique ? { unique } : {}),
        ...(patterned ? { generate: { kind: 'pattern', pattern: 'C-{row}-??' } } : {}),
      });
    }
    columns.push(...EXTRAS[spec.extra]!);
    const names = columns.map((c) => c.name as string);
    const nonNull = columns.filter((c) => !c.nullable).map((c) => c.name as string);
    const fkKeys = fks.filter((f) => nonNull.includes(f));
    const primaryKey =
      spec.key === 'first fk' && fkKeys.length > 0
        ? [fkKeys[0]]
        : spec.key === 'fks' && fkKeys.length > 1
          ? fkKeys.slice(0, 2)
          : spec.key === 'fk and code' && fkKeys.length > 0 && names.includes('code')
            ? [fkKeys[0], 'code']
            : ['id'];
    const indexes = spec.indexes.map((ix) => ({ columns: [...new Set(ix.map((i) => names[i % names.length]!))], unique: true }));
    if (primaryKey[0] !== 'id') columns[0]!.unique = true; // what foreign keys reference
    return {
      name: `t${ti}`,
      count: spec.count,
      destination: spec.destination,
      primaryKey,
      columns,
      ...(indexes.length ? { indexes } : {}),
    };
  });
  return { name: 'random', tables };
}

/** The value a JSON pointer names, or undefined. */
export function at(doc: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((v, key) => (v === undefined || v === null ? undefined : (v as Record<string, unknown>)[key]), doc);
}
