import { EcomError, type Problem } from '../errors.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import type { Database } from './database.ts';

/**
 * Fails, naming each missing table or table.column and the command that creates it, unless the
 * database has every PostgreSQL table and column of the model. Without it, seeding, verifying or
 * dumping a database that was never migrated stops on the first `relation "x" does not exist`.
 */
export async function assertMigrated(db: Database, model: ResolvedModel, modelFile: string): Promise<void> {
  const tables = model.tables.filter((t) => t.inPostgres);
  if (tables.length === 0) return;
  const rows = await db.query<{ table_name: string; column_name: string }>(
    'SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ANY($1)',
    [tables.map((t) => t.name)],
  );
  const present = new Map<string, Set<string>>();
  for (const r of rows) present.set(r.table_name, (present.get(r.table_name) ?? new Set()).add(r.column_name));
  const fix = `run \`ecom migrate --model ${modelFile}\` (or \`ecom run\`), which creates the model's tables`;
  const problems: Problem[] = [];
  for (const t of tables) {
    const columns = present.get(t.name);
    if (!columns) problems.push({ pointer: t.name, message: `table "${t.name}" does not exist in the database`, hint: fix });
    else
      for (const c of t.columns.filter((c) => !columns.has(c.name)))
        problems.push({ pointer: `${t.name}.${c.name}`, message: `column "${c.name}" does not exist in table "${t.name}"`, hint: fix });
  }
  if (problems.length === 0) return;
  const none = problems.length === tables.length && problems.every((p) => !p.pointer.includes('.'));
  throw new EcomError(
    none
      ? `the database was never migrated for model "${model.name}": run \`ecom migrate\``
      : `the database is not migrated to model "${model.name}": run \`ecom migrate\``,
    problems,
  );
}
