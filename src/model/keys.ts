import type { ResolvedColumn, ResolvedTable } from './resolve.ts';

/** A set of columns no two rows may share: the primary key, a unique column or a unique index. */
export interface UniqueKey {
  kind: 'primary key' | 'unique column' | 'unique index';
  columns: ResolvedColumn[];
  /** The JSON pointer of its declaration in the model. */
  pointer: string;
}

/**
 * Every unique key of a table, primary key first; a key declared twice (a unique column that is
 * also the primary key, an index over the same columns) is listed once.
 */
export function uniqueKeys(t: ResolvedTable): UniqueKey[] {
  const at = `/tables/${t.index}`;
  const keys: UniqueKey[] = [{ kind: 'primary key', columns: t.primaryKey, pointer: `${at}/primaryKey` }];
  for (const c of t.columns) if (c.unique) keys.push({ kind: 'unique column', columns: [c], pointer: `${at}/columns/${c.index}/unique` });
  (t.def.indexes ?? []).forEach((ix, i) => {
    if (ix.unique)
      keys.push({
        kind: 'unique index',
        columns: ix.columns.map((n) => t.columns.find((c) => c.name === n)!),
        pointer: `${at}/indexes/${i}`,
      });
  });
  const byColumns = new Map<string, UniqueKey>();
  for (const k of keys) {
    const id = k.columns
      .map((c) => c.name)
      .sort()
      .join(',');
    if (!byColumns.has(id)) byColumns.set(id, k);
  }
  return [...byColumns.values()];
}

/** Whether `column` is by itself a unique key of `t`: each of its values, a parent row for a foreign key, at most once. */
export function uniqueAlone(t: ResolvedTable, column: ResolvedColumn): boolean {
  return uniqueKeys(t).some((k) => k.columns.length === 1 && k.columns[0] === column);
}
