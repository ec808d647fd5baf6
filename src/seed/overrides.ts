import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EcomError } from '../errors.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import type { Overrides } from './engine.ts';
import { engineOverrides, type Seeder } from './seeder.ts';

/**
 * Loads the generated seeders (prisma/seeders/index.ts) and returns their overrides. Seeders that no
 * longer match the model are an error: running stale code would silently seed the wrong columns.
 */
export async function loadSeederOverrides(model: ResolvedModel, dir: string): Promise<Overrides> {
  const index = resolve(dir, 'index.ts');
  if (!existsSync(index)) return {};
  // The seeders are TypeScript the user edits; tsx compiles them on the fly for the compiled CLI.
  const { tsImport } = await import('tsx/esm/api');
  const mod = (await tsImport(pathToFileURL(index).href, import.meta.url)) as { seeders: Record<string, Seeder<unknown>> };
  const byTable = new Map(Object.values(mod.seeders).map((s) => [s.table, s]));
  const out: Overrides = {};
  for (const t of model.tables) {
    const s = byTable.get(t.name);
    const expected = t.columns.map((c) => c.name).join(',');
    if (!s || s.columns.join(',') !== expected) {
      throw new EcomError(`the seeders in ${dir} do not match the model (table "${t.name}")`, [
        {
          pointer: `${dir}/${t.name}.ts`,
          message: s ? `columns ${s.columns.join(', ')} ≠ model ${expected}` : 'missing',
          hint: 'run `ecom codegen`',
        },
      ]);
    }
    out[t.name] = engineOverrides(s);
  }
  return out;
}
