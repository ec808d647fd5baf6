import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitPrismaSchema } from '../../generators/prisma-schema.ts';
import { migrate } from '../../src/db/migrate.ts';
import { loadModel, parseModel } from '../../src/model/load.ts';
import { pull } from '../../src/model/pull/pull.ts';
import type { ResolvedModel } from '../../src/model/resolve.ts';
import { backends } from '../helpers/databases.ts';
import { REPO, scratchProject } from '../helpers/project.ts';

const models = [
  'ecommerce_model.json',
  ...readdirSync(join(REPO, 'test/fixtures'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => `test/fixtures/${f}`),
].filter((f) => loadModel(join(REPO, f)).tables.some((t) => t.inPostgres)); // a model of files only has nothing to pull

/**
 * The Prisma schema a model makes says everything ecom puts in the database: tables, columns,
 * types, keys, relations with their actions, indexes. Left aside: the header, descriptions (not in
 * the database), uuid() defaults (Prisma fills them in the client, so the database has none) and
 * actions written out as Prisma's defaults (onDelete SetNull for an optional relation, Restrict
 * otherwise; onUpdate Cascade).
 */
function schemaOf(model: ResolvedModel): string[] {
  const lines = emitPrismaSchema(model, 'model.json')
    .split('\n')
    .slice(1)
    .filter((l) => !l.trim().startsWith('///'))
    .map((l) =>
      l
        .replace(/\s+/g, ' ')
        .replace(/ @default\(uuid\(\)\)/, '')
        .replace(/^( \w+ \w+\? @relation\(.*), onDelete: SetNull/, '$1')
        .replace(/^( \w+ \w+ @relation\(.*), onDelete: Restrict/, '$1')
        .replace(/, onUpdate: Cascade/, '')
        .trimEnd(),
    );
  // fields and attributes in any order (the database keeps columns in order, not indexes or back-relations)
  return lines
    .join('\n')
    .split(/\n\n(?=model |enum )/)
    .map((block) => {
      const [head, ...rest] = block.split('\n');
      return [head, ...rest.sort()].join('\n');
    })
    .sort();
}

const pg = backends.find((b) => b.name === 'postgres')!;

describe('pull from a database ecom migrated gives back an equivalent model', () => {
  it.each(models)('%s', async (file) => {
    const p = scratchProject(file);
    const source = await pg.fresh();
    try {
      await migrate(source.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
      const { model } = await pull(source.db, { name: p.model.name });
      const pulled = parseModel(JSON.stringify(model), 'pulled');
      // only the tables ecom put in PostgreSQL are in the database
      const inDatabase = p.model.tables.filter((t) => t.inPostgres).map((t) => t.name);
      expect(pulled.tables.map((t) => t.name).sort()).toEqual(inDatabase.sort());
      expect(schemaOf(pulled)).toEqual(schemaOf(p.model));
    } finally {
      await source.db.close();
      await source.drop();
    }
  });
});

describe('pull keeps what PostgreSQL accepts in a foreign key', () => {
  it.each(backends)(
    '$name: a NOT NULL cycle stays NOT NULL, a smallint key stays smallint; an int key to a bigint key is reported',
    async (backend) => {
      const source = await backend.fresh();
      try {
        await source.db.exec(`
        CREATE TABLE stores (id serial PRIMARY KEY, manager_id int NOT NULL UNIQUE);
        CREATE TABLE staff (id serial PRIMARY KEY, store_id smallint NOT NULL REFERENCES stores (id));
        ALTER TABLE stores ADD FOREIGN KEY (manager_id) REFERENCES staff (id);
        CREATE TABLE ledgers (id bigserial PRIMARY KEY);
        CREATE TABLE entries (id serial PRIMARY KEY, ledger_id int NOT NULL REFERENCES ledgers (id));`);
        const { model, approximations } = await pull(source.db);
        const column = (t: string, c: string) => model.tables.find((x) => x.name === t)!.columns.find((x) => x.name === c)!;
        expect(column('stores', 'manager_id')).toMatchObject({ type: 'int', unique: true, references: { table: 'staff' } });
        expect(column('stores', 'manager_id').nullable).toBeUndefined();
        expect(column('staff', 'store_id')).toMatchObject({ type: 'smallint', references: { table: 'stores' } });
        expect(column('staff', 'store_id').nullable).toBeUndefined();
        expect(column('entries', 'ledger_id').type).toBe('bigint');
        expect(approximations).toEqual([
          {
            location: 'entries.ledger_id',
            what: 'type int of a foreign key to ledgers.id (bigint)',
            kept: "bigint, the referenced key's type: a Prisma relation needs the same scalar type on both sides",
          },
        ]);
        expect(parseModel(JSON.stringify(model)).deferred.map((c) => `${c.table}.${c.name}`)).toEqual(['stores.manager_id']);
      } finally {
        await source.db.close();
        await source.drop();
      }
    },
  );
});
