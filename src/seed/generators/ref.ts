import { isDeepStrictEqual } from 'node:util';
import type { Model } from '../../model/schema.ts';
import { canonical } from '../verify/canonical.ts';
import { candidatesSql, checkPath, pathSql, splitPath, valuesSql, type Where } from './draw.ts';
import type { CheckContext, CompileContext, GeneratorKind, GeneratorOf, Produce, VerifyContext } from './kind.ts';

/** The key of a parent row, spread over the parents as the model asks, or reached from a row drawn from another table. */
export const ref: GeneratorKind<GeneratorOf<'ref'>> = {
  check(g, at, cx) {
    const { column, foreignKey, add } = cx;
    if (!column.references) add(at, `"ref" generator on "${column.name}", which is not a foreign key`, 'add "references" to the column');
    if (g.nullRate !== undefined && !column.nullable) add(`${at}/nullRate`, `"nullRate" on non-nullable column "${column.name}"`);
    if (g.distinctPer !== undefined) foreignKey(g.distinctPer, `${at}/distinctPer`);
    if (g.from) checkFrom(g, at, cx);
    if (g.where && column.references) {
      for (const path of Object.keys(g.where)) checkPath(cx.model, column.references.table, path, `${at}/where`, add);
      for (const option of ['spread', 'distinctPer'] as const)
        if (g[option] !== undefined)
          add(`${at}/${option}`, `"${option}" does not go with "where": parents are drawn among the rows that match`, `remove "${option}"`);
    }
  },
  cannotRepeat: () => false,
  rowDependencies: () => [],
  compile: (_g, cx) => parentKey(cx),
  parentLayout: (g, column) =>
    g.from
      ? { from: g.from.table, steps: g.from.path.split('.') }
      : {
          spread: g.spread,
          distinctPer: g.distinctPer,
          nullRate: g.nullRate ?? column.def.nullRate,
          ...(g.where ? { where: g.where } : {}),
        },
  async verify(g, cx) {
    if (g.where) await verifyWhere(g.where, cx);
    if (g.spread === 'once') await verifyOnce(cx);
    if (g.from) await verifyFrom(g, cx);
  },
};

/** Every parent row matches `where` (a NULL key, or a missing parent, is left to the foreign-key check). */
async function verifyWhere(where: Where, cx: VerifyContext) {
  const { rel, column, join, violations, where: at, fail } = cx;
  const parent = join(rel, 'r', column.name, 'p');
  for (const [i, [path, values]] of Object.entries(where).entries()) {
    const walk = pathSql(cx, parent.rel, 'p', path, `w${i}`);
    const rows = await violations(
      `SELECT ${rel.row('r')}, to_json(${walk.value}) #>> '{}' AS _x0 FROM ${rel.as('r')} JOIN ${parent.sql} ${walk.joins}
       WHERE ${walk.value} IS NULL OR ${walk.value} NOT IN (${valuesSql(walk.column, values)})`,
    );
    for (const { row, extra } of rows)
      fail(
        'rule ref where',
        at(row),
        `${parent.rel.table.name} ${row[column.index]} has ${path} = ${canonical(walk.column, extra[0] ?? null)}, not one of ${values.join(', ')}`,
      );
  }
}

/** No parent row twice: every row but the first (by key) of those naming the same parent is reported. */
async function verifyOnce({ rel, column, violations, where, fail }: VerifyContext) {
  const value = rel.value('q', column);
  const rows = await violations(
    `SELECT ${rel.row('r')} FROM (SELECT q.*, row_number() OVER (PARTITION BY ${value} ORDER BY ${rel.orderByKey('q')}) AS _nth
       FROM ${rel.as('q')} WHERE ${value} IS NOT NULL) AS r
     WHERE r._nth > 1`,
  );
  for (const { row } of rows) fail('rule ref once', where(row), `${column.ref!.table} ${row[column.index]} is referenced twice`);
}

/** Some row of the table drawn from fits each row's keys. */
async function verifyFrom(g: GeneratorOf<'ref'>, cx: VerifyContext) {
  const { table, column, rel, violations, where, fail } = cx;
  // the drawn row is checked once, on the first column drawing from its table
  const first = table.columns.find((c) => c.def.generate?.kind === 'ref' && c.def.generate.from?.table === g.from!.table);
  if (first !== column) return;
  const candidates = candidatesSql(cx, g.from!.table);
  const rows = await violations(
    `SELECT ${rel.row('r')} FROM ${rel.as('r')}
     WHERE ${candidates.keys.map((k) => `${rel.value('r', k.column)} IS NOT NULL`).join(' AND ')}
       AND NOT EXISTS (SELECT 1 FROM (${candidates.sql}) c WHERE ${candidates.on})`,
  );
  for (const { row } of rows) fail('rule ref from', where(row), candidates.describe(row));
}

function checkFrom(g: GeneratorOf<'ref'>, at: string, { model, table, column, add }: CheckContext) {
  const from = g.from!;
  for (const option of ['spread', 'distinctPer', 'nullRate', 'where'] as const)
    if (g[option] !== undefined)
      add(`${at}/${option}`, `"${option}" does not go with "from": the drawn row decides the key`, `remove "${option}"`);
  if (!model.tables.some((t) => t.name === from.table)) {
    add(`${at}/from/table`, `"from" names missing table "${from.table}"`, `tables: ${model.tables.map((t) => t.name).join(', ')}`);
    return;
  }
  const loop = drawLoop(model, from.table, table.name);
  if (loop)
    add(
      `${at}/from/table`,
      `rows drawn in a circle: ${[table.name, ...loop].join(' → ')}`,
      'draw from a table that does not draw from this one',
    );
  const end = checkPath(model, from.table, from.path, `${at}/from/path`, add);
  if (end && column.references) {
    const { steps, last } = splitPath(from.path);
    const lastKey = end.column;
    const target = lastKey.references;
    if (!target || target.table !== column.references.table || target.column !== column.references.column)
      add(
        `${at}/from/path`,
        `"${from.path}" must end at a foreign key to ${column.references.table}.${column.references.column}, like "${column.name}", and "${end.table.name}.${last}" ${target ? `references ${target.table}.${target.column}` : 'is not a foreign key'}`,
        steps.length === 0 ? `name a foreign key of "${from.table}" to "${column.references.table}"` : undefined,
      );
    else if (end.nullable && !column.nullable)
      add(
        `${at}/from/path`,
        `"${from.path}" can be NULL, and "${column.name}" is not nullable`,
        'make the column nullable or follow non-nullable keys',
      );
  }
  for (const path of Object.keys(from.where ?? {})) checkPath(model, from.table, path, `${at}/from/where`, add);
  // one draw per table drawn from: the columns sharing it must describe it alike
  const other = table.columns.find((c) => c.generate?.kind === 'ref' && c.generate.from?.table === from.table);
  if (other && other !== column && other.generate?.kind === 'ref' && !isDeepStrictEqual(other.generate.from?.where, from.where))
    add(
      `${at}/from/where`,
      `"${column.name}" and "${other.name}" draw the same row of "${from.table}" but state different "where"`,
      `give both the same "where"`,
    );
}

/** The tables through which `from` draws rows from `target` (a circle a draw would close), if it does. */
function drawLoop(model: Model, from: string, target: string, seen = new Set<string>()): string[] | undefined {
  if (from === target) return [from];
  if (seen.has(from)) return undefined;
  seen.add(from);
  for (const c of model.tables.find((t) => t.name === from)?.columns ?? []) {
    if (c.generate?.kind !== 'ref' || !c.generate.from) continue;
    const rest = drawLoop(model, c.generate.from.table, target, seen);
    if (rest) return [from, ...rest];
  }
  return undefined;
}

/** The referenced column of the row's parent row (see parentLayout), NULL without one. */
export function parentKey({ column, rows, table }: CompileContext): Produce {
  const fk = column.name;
  const parents = table(column.ref!.table);
  const key = column.ref!.column;
  return (row) => {
    const parent = rows.group(fk, row).parent;
    return parent === null ? null : parents.value(parent, key);
  };
}
