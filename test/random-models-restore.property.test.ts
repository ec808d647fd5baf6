import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EcomError } from '../src/errors.ts';
import { parseModel } from '../src/model/load.ts';
import { backends } from './helpers/databases.ts';
import { scratchModel } from './helpers/project.ts';
import { at, buildModel, randomTables } from './helpers/random-models.ts';
import { roundTrip } from './helpers/round-trip.ts';

const postgres = backends.find((b) => b.name === 'postgres')!;

/**
 * Random models (test/helpers/random-models.ts) with PostgreSQL tables: each either fails
 * validation with pointers into the model, or goes the whole way in a real PostgreSQL — codegen,
 * migrate, seed, verify, export-db, restore into an empty database with identical contents, verify
 * again. Fewer runs than the file-only property: each creates and migrates two databases.
 */
describe('random models with every type, in PostgreSQL', () => {
  it('either fail validation with pointers into the model, or seed, verify, dump and restore', async () => {
    let restored = 0;
    await fc.assert(
      fc.asyncProperty(randomTables(['postgres', 'postgres', 'csv', 'json']), fc.nat(), async (specs, seedValue) => {
        const doc = buildModel(specs);
        try {
          parseModel(JSON.stringify(doc), 'random.json');
        } catch (e) {
          if (!(e instanceof EcomError)) throw e;
          for (const p of e.problems) expect(at(doc, p.pointer), `${p.pointer}: ${p.message}`).toBeDefined();
          return;
        }
        const p = scratchModel(doc);
        if (!p.model.tables.some((t) => t.inPostgres)) return p.cleanup();
        await roundTrip(p, postgres, seedValue);
        p.cleanup();
        restored++;
      }),
      { numRuns: 30, seed: 20261127 },
    );
    expect(restored).toBeGreaterThan(8);
  }, 300_000);
});
