import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrate } from '../src/db/migrate.ts';
import { loadSeederOverrides } from '../src/seed/overrides.ts';
import { createPgDatabase } from './helpers/databases.ts';
import { connect } from '../src/db/connect.ts';
import type { Database } from '../src/db/database.ts';
import { scratchProject } from './helpers/project.ts';
import type * as SchemaEngineModule from '../src/db/schema-engine.ts';
import type * as TsxApi from 'tsx/esm/api';

// count the schema engine's start-ups and the seeders' compilations, keeping what they do
const engine = vi.hoisted(() => ({ opened: 0, compiled: 0 }));
vi.mock('../src/db/schema-engine.ts', async (original) => {
  const actual = await original<typeof SchemaEngineModule>();
  return {
    ...actual,
    openSchemaEngine: (...args: Parameters<typeof actual.openSchemaEngine>) => (engine.opened++, actual.openSchemaEngine(...args)),
  };
});
vi.mock('tsx/esm/api', async (original) => {
  const actual = await original<typeof TsxApi>();
  return { ...actual, tsImport: (...args: Parameters<typeof actual.tsImport>) => (engine.compiled++, actual.tsImport(...args)) };
});

describe('a small run does no work it can skip', () => {
  const p = scratchProject('ecommerce_model.json');
  let db: Database;
  beforeAll(async () => {
    db = await connect({ url: (await createPgDatabase()).url });
  });
  afterAll(() => db.close());

  it('migrate starts the schema engine only while a migration is pending, changed or failed', async () => {
    const options = { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir };
    expect((await migrate(db, options)).created).toBeDefined();
    expect(engine.opened).toBe(1);
    // up to date: nothing opened
    expect(await migrate(db, options)).toEqual({ applied: [] });
    // a comment in the schema changes no SQL
    appendFileSync(p.schemaFile, '\n// a note\n');
    expect(await migrate(db, options)).toEqual({ applied: [] });
    expect(engine.opened).toBe(1);
    // an applied migration edited afterwards: the engine decides, as without the shortcut
    const [name] = (await db.query<{ migration_name: string }>('SELECT migration_name FROM _prisma_migrations')).map(
      (r) => r.migration_name,
    );
    const file = join(p.migrationsDir, name!, 'migration.sql');
    const sql = readFileSync(file, 'utf8');
    writeFileSync(file, `${sql}\n-- edited\n`);
    await migrate(db, options);
    expect(engine.opened).toBe(2);
    writeFileSync(file, sql);
    // a failed attempt on record
    await db.query(
      "INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES ('x', 'y', 'z_failed', now(), 0)",
    );
    await migrate(db, options).catch(() => {});
    expect(engine.opened).toBe(3);
  });

  it('seeders that are still the scaffolds codegen wrote are not compiled; an edited override is', async () => {
    const dir = join(p.root, 'prisma/seeders');
    expect(await loadSeederOverrides(p.model, dir)).toEqual({});
    expect(engine.compiled).toBe(0);
    const users = join(dir, 'overrides/users.ts');
    // reformatted (as Prettier does to the repository's copies): still untouched
    writeFileSync(users, readFileSync(users, 'utf8').replace(/\{\n[^}]*\}/, '{}'));
    expect(await loadSeederOverrides(p.model, dir)).toEqual({});
    expect(engine.compiled).toBe(0);
    writeFileSync(users, readFileSync(users, 'utf8').replace('{}', "{ city: () => 'Springfield' }"));
    const overrides = await loadSeederOverrides(p.model, dir);
    expect(engine.compiled).toBe(1);
    expect(Object.keys(overrides.users!)).toEqual(['city']);
  });
});
