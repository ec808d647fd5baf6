import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EcomError } from '../../src/errors.ts';
import { parseModel } from '../../src/model/load.ts';
import { plannedCounts, seed } from '../../src/seed/seed.ts';
import { verify } from '../../src/seed/verify.ts';
import { tempDir } from '../helpers/cleanup.ts';
import { at, buildModel, randomTables } from '../helpers/random-models.ts';

/**
 * Random models (test/helpers/random-models.ts) to CSV and JSON: each either fails validation,
 * every problem pointing at something in the model, or seeds and verifies without a violation:
 * never anything in between.
 */
describe('random models with unique and composite keys', () => {
  it('either fail validation with pointers into the model, or seed and verify cleanly', async () => {
    const out = tempDir('ecom-keys-property-');
    let seeded = 0;
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(randomTables(['csv', 'json']), fc.nat(), async (specs, seedValue) => {
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
