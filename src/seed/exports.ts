import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FILE_FORMATS, type ResolvedModel } from '../model/resolve.ts';
import { DUMP_FILE, type Manifest, REPORT_FILE, VERIFY_RECORD } from './manifest.ts';

/**
 * Keeps one model's exports from mixing with another's in the same folder. Runs once the seed's own
 * files are published, after COMMIT, so a failed seed leaves the folder as it was. Removes the
 * export files of tables this seed does not write in that format (the tables of the model seeded
 * there before, a table whose destination changed) and, when the folder last held another model,
 * the verify record, report and dump made from that model's data. Only files ecom names are
 * touched: other files in the folder stay. Returns the removed files, relative to `out`.
 */
export function clearOtherExports(out: string, model: ResolvedModel, previous: Manifest | undefined): string[] {
  const removed: string[] = [];
  const remove = (path: string) => {
    rmSync(join(out, path), { force: true });
    removed.push(path);
  };
  const names = [...new Set([...Object.keys(previous?.counts ?? {}), ...model.tables.map((t) => t.name)])];
  for (const format of FILE_FORMATS) {
    const dir = join(out, format);
    if (!existsSync(dir)) continue;
    const written = new Set(model.tables.filter((t) => t.file === format).map((t) => t.name));
    const others = names.filter((n) => !written.has(n));
    for (const f of readdirSync(dir)) {
      const table = new RegExp(`^([a-z][a-z0-9_]*)(?:\\.part-\\d+-of-\\d+)?\\.${format}$`).exec(f)?.[1];
      if (table && others.includes(table)) remove(join(format, f));
    }
  }
  if (previous && previous.model !== model.name)
    for (const f of [VERIFY_RECORD, REPORT_FILE, DUMP_FILE]) if (existsSync(join(out, f))) remove(f);
  return removed;
}
