import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { loadModel } from '../src/model/load.ts';
import { backends } from './helpers/databases.ts';
import { REPO, scratchModel, scratchProject } from './helpers/project.ts';
import { roundTrip } from './helpers/round-trip.ts';

// models with nothing in PostgreSQL have no dump (export-db says so; see test/cli.test.ts)
const fixtures = readdirSync(join(REPO, 'test/fixtures'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => `test/fixtures/${f}`)
  .filter((f) => loadModel(join(REPO, f)).tables.some((t) => t.inPostgres));

/** Rows that reference later rows through a key that cannot be NULL: no order of COPY blocks restores them with the keys in place. */
const forwardReferences = {
  name: 'chain',
  tables: [
    {
      name: 'nodes',
      count: 40,
      destination: 'postgres',
      primaryKey: ['id'],
      columns: [
        { name: 'id', type: 'int', default: 'autoincrement' },
        { name: 'next_id', type: 'int', references: { table: 'nodes', column: 'id' } },
      ],
    },
  ],
};

const postgres = backends.find((b) => b.name === 'postgres')!;
const pglite = backends.find((b) => b.name === 'pglite')!;

describe('export-db dumps restore into an empty PostgreSQL and migrate further', () => {
  it.each(['ecommerce_model.json', ...fixtures])('%s, dumped from PostgreSQL', async (file) => {
    await roundTrip(scratchProject(file), postgres);
  });

  it('every column type and generator shape of the format (rental store), dumped from PGlite', async () => {
    await roundTrip(scratchProject('test/fixtures/rental_store_model.json'), pglite);
  });

  it('a foreign-key cycle, dumped from PGlite', async () => {
    await roundTrip(scratchProject('test/fixtures/league_model.json'), pglite);
  });

  it('rows referencing later rows through a non-nullable self-reference', async () => {
    await roundTrip(scratchModel(forwardReferences), postgres);
  });
});
