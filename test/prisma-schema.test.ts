import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitPrismaSchema } from '../generators/prisma-schema.ts';
import { renderOutputs } from '../src/codegen/codegen.ts';
import { loadModel, parseModel } from '../src/model/load.ts';
import { tempDir } from './helpers/cleanup.ts';
import { backends } from './helpers/databases.ts';
import { scratchModel } from './helpers/project.ts';
import { roundTrip } from './helpers/round-trip.ts';

const models = {
  ecommerce: 'ecommerce_model.json',
  blog: 'test/fixtures/blog_model.json',
  library: 'test/fixtures/library_model.json',
  rental_store: 'test/fixtures/rental_store_model.json',
  stores_staff: 'test/fixtures/stores_staff_model.json',
};

/** `prisma format` on a copy: the generated schema must already be in Prisma's own format. */
function prismaFormat(schema: string): { formatted: string; valid: boolean; output: string } {
  const dir = tempDir('ecom-fmt-');
  const file = join(dir, 'schema.prisma');
  writeFileSync(file, schema);
  const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
  const cli = 'node_modules/prisma/build/index.js';
  const validate = spawnSync(process.execPath, [cli, 'validate', '--schema', file], { env, encoding: 'utf8' });
  spawnSync(process.execPath, [cli, 'format', '--schema', file], { env, encoding: 'utf8' });
  return { formatted: readFileSync(file, 'utf8'), valid: validate.status === 0, output: validate.stdout + validate.stderr };
}

describe.each(Object.entries(models))('schema.prisma for the %s model', (name, file) => {
  const model = loadModel(file);
  const schema = emitPrismaSchema(model, `${name}_model.json`);

  it('matches the golden file', () => {
    expect(schema).toBe(readFileSync(`test/golden/${name}.prisma`, 'utf8'));
  });

  it('is valid and already formatted the way `prisma format` formats it', () => {
    const { formatted, valid, output } = prismaFormat(schema);
    expect(valid, output).toBe(true);
    expect(formatted).toBe(schema);
  });

  it('is deterministic', () => {
    expect(renderOutputs(loadModel(file), file)).toEqual(renderOutputs(loadModel(file), file));
  });
});

/**
 * A model whose schema.prisma holds every attribute combination the emitter writes: each column type
 * with and without @unique, @default and @map (plus its @db type), keys of each kind, relations of
 * each kind, and block attributes declared out of prisma format's order.
 */
function everyAttributeModel() {
  const types: [type: string, value: unknown, extra?: object][] = [
    ['int', 7],
    ['bigint', 7],
    ['string', 'x'],
    ['varchar(20)', 'x'],
    ['text', 'x'],
    ['boolean', true],
    ['decimal(10,2)', 1.5],
    ['float', 2.5],
    ['date', 'now'],
    ['datetime', 'now'],
    ['uuid', 'uuid'],
    ['json', '{}'],
    ['enum', 'b', { values: ['a', 'b'] }],
    ['smallint', 7],
    ['real', 1.5],
    ['char(3)', 'abc'],
    ['timestamp', 'now'],
    ['timestamp(0)', 'now'],
    ['timestamptz(3)', 'now'],
    ['time(2)', 'now'],
    ['timetz', 'now'],
    ['bytea', undefined],
    ['jsonb', '{}'],
    ['text[]', undefined],
    ['int[]', undefined],
    ['varchar(20)[]', undefined],
    ['enum', 'PG-13', { values: ['G', 'PG-13', 'NC-17', '1st'] }],
    ['enum[]', undefined, { values: ['x-y', 'z'] }],
    ['enum', 'a', { values: ['a', 'b'], enum: 'shared_kind' }],
    ['string', undefined, { native: 'Inet' }],
    ['text', undefined, { native: 'Xml' }],
    ['string', undefined, { native: 'Bit(8)' }],
    ['int', 5, { native: 'Oid' }],
    ['text[]', undefined, { native: 'Inet' }],
  ];
  const columns: object[] = [{ name: 'id', type: 'int', default: 'autoincrement' }];
  types.forEach(([type, value, extra], t) => {
    for (const unique of [false, true]) {
      if (unique && (type.startsWith('json') || type.endsWith('[]') || type === 'bytea' || (extra as any)?.native === 'Xml')) continue; // no keys on these
      for (const withDefault of [false, true]) {
        if (withDefault && value === undefined) continue;
        for (const mapped of [false, true]) {
          const name = `${mapped ? 'm_' : 'p'}${t}${unique ? 'u' : ''}${withDefault ? 'd' : ''}`;
          columns.push({ name, type, ...extra, ...(unique ? { unique } : {}), ...(withDefault ? { default: value } : {}) });
        }
      }
    }
  });
  const ref = (table: string, extra: object = {}) => ({ type: 'int', references: { table, column: 'id' }, ...extra });
  return {
    name: 'attributes',
    tables: [
      // an index repeating a unique column, and one declared twice: each would take the other's default name
      { name: 'combos', count: 1, destination: 'postgres', primaryKey: ['id'], columns, indexes: [{ columns: ['p0u'], unique: true }] },
      {
        name: 'uuid_keyed',
        count: 1,
        destination: 'postgres',
        primaryKey: ['id'],
        primaryKeyName: 'uuid_keyed_pk',
        columns: [
          { name: 'id', type: 'uuid', default: 'uuid' },
          { name: 'other_key', type: 'uuid', unique: true, default: 'uuid' },
        ],
      },
      {
        name: 'mapped_keys',
        count: 1,
        destination: 'postgres',
        primaryKey: ['item_code'],
        columns: [
          { name: 'item_code', type: 'varchar(20)', default: 'x' },
          {
            name: 'combo_id',
            ...ref('combos', { unique: true, references: { table: 'combos', column: 'id', onUpdate: 'Cascade', name: 'mapped_combo_fk' } }),
          },
          { name: 'parent_id', ...ref('combos', { nullable: true, references: { table: 'combos', column: 'id', onDelete: 'SetNull' } }) },
          { name: 'self_code', type: 'varchar(20)', nullable: true, references: { table: 'mapped_keys', column: 'item_code' } },
        ],
      },
      {
        name: 'pairs',
        count: 1,
        destination: 'postgres',
        primaryKey: ['left_id', 'right_id'],
        primaryKeyName: 'pairs_pk',
        columns: [
          { name: 'left_id', ...ref('combos', { references: { table: 'combos', column: 'id', onDelete: 'Cascade' } }) },
          { name: 'right_id', ...ref('uuid_keyed', { type: 'uuid' }) },
          { name: 'rank', type: 'int' },
          { name: 'note', type: 'text' },
        ],
        indexes: [
          { columns: ['note'] },
          { columns: ['rank', 'note'], unique: true, name: 'pairs_rank_note_key' },
          { columns: ['note', 'rank'], unique: true },
          { columns: ['rank'], name: 'idx_pairs_rank' },
          { columns: ['note', 'rank'], unique: true },
        ],
      },
    ],
  };
}

describe('schema.prisma with every attribute combination the emitter writes', () => {
  it('is exactly what `prisma format` writes', () => {
    const schema = emitPrismaSchema(parseModel(JSON.stringify(everyAttributeModel())), 'attributes.json');
    expect(schema).toMatch(/@unique @default\(uuid\(\)\) @map\("other_key"\) @db\.Uuid/);
    expect(schema).toMatch(/@@id\(\[leftId, rightId\], map: "pairs_pk"\)\n {2}@@unique/);
    const { formatted, valid, output } = prismaFormat(schema);
    expect(valid, output).toBe(true);
    expect(formatted).toBe(schema);
  });

  it('migrates, seeds, verifies, dumps and restores in PostgreSQL', async () => {
    await roundTrip(
      scratchModel(everyAttributeModel()),
      backends.find((b) => b.name === 'postgres')!,
    );
  });
});
