import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EcomError } from '../../src/errors.ts';
import { parseModel } from '../../src/model/load.ts';
import { plannedCounts, seed } from '../../src/seed/seed.ts';
import { verify } from '../../src/seed/verify.ts';
import { tempDir } from '../helpers/cleanup.ts';

/**
 * Random small models full of keys: unique and nullable foreign keys, one-column and composite
 * primary keys, unique indexes over any columns, spreads and distinctPer, small counts. Each one
 * either fails validation, every problem pointing at something in the model, or seeds (to CSV and
 * JSON) and verifies without a violation: never anything in between.
 */
const tableCount = 4;

const fkSpec = fc.record({
  to: fc.nat({ max: tableCount - 1 }),
  unique: fc.boolean(),
  nullable: fc.boolean(),
  generate: fc.oneof(
    { arbitrary: fc.constant('none'), weight: 4 },
    fc.constantFrom('ref', 'uniform', 'skewed', 'partition', 'distinctPer'),
  ),
});

const tableSpec = fc.record({
  count: fc.integer({ min: 1, max: 30 }),
  destination: fc.constantFrom('csv', 'json'),
  fks: fc.array(fkSpec, { maxLength: 3 }),
  code: fc.constantFrom('none', 'int', 'unique int', 'unique date', 'unique pattern'),
  key: fc.constantFrom('id', 'first fk', 'fks', 'fk and code'),
  indexes: fc.array(fc.array(fc.nat({ max: 5 }), { minLength: 1, maxLength: 3 }), { maxLength: 2 }),
});

type TableSpec = typeof tableSpec extends fc.Arbitrary<infer T> ? T : never;

function buildModel(specs: TableSpec[]) {
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
      columns.push({
        name: 'code',
        type: type === 'pattern' ? 'varchar(20)' : type,
        ...(unique ? { unique } : {}),
        ...(type === 'pattern' ? { generate: { kind: 'pattern', pattern: 'C-{row}-??' } } : {}),
      });
    }
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
function at(doc: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((v, key) => (v === undefined || v === null ? undefined : (v as Record<string, unknown>)[key]), doc);
}

describe('random models with unique and composite keys', () => {
  it('either fail validation with pointers into the model, or seed and verify cleanly', async () => {
    const out = tempDir('ecom-keys-property-');
    let seeded = 0;
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(tableSpec, { minLength: 1, maxLength: tableCount }), fc.nat(), async (specs, seedValue) => {
        const doc = buildModel(specs);
        let model;
        try {
          model = parseModel(JSON.stringify(doc), 'random.json');
        } catch (e) {
          if (!(e instanceof EcomError)) throw e;
          expect(e.problems.length).toBeGreaterThan(0);
          for (const p of e.problems) expect(at(doc, p.pointer), `${p.pointer}: ${p.message}`).toBeDefined();
          rejected++;
          return;
        }
        for (const f of readdirSync(out)) rmSync(join(out, f), { recursive: true, force: true });
        await seed(undefined, model, { seed: seedValue, counts: plannedCounts(model), out, batchSize: 8 });
        const report = await verify(undefined, model, out);
        expect(report.violations, JSON.stringify(doc)).toEqual([]);
        seeded++;
      }),
      { numRuns: 500, seed: 20260101 },
    );
    // the generator must exercise both outcomes, or the property says little
    expect(seeded).toBeGreaterThan(30);
    expect(rejected).toBeGreaterThan(30);
  });
});
