import type { Problem } from '../errors.ts';
import { fakerMethod } from './faker-method.ts';
import type { Edge } from './graph.ts';
import { COLUMN_TYPES, type Column, type Generator, type Model, type Table } from './schema.ts';
import { isNumeric, isTemporal, parseColumnType, sameKeyType, describeType, type ColumnType } from './types.ts';

/**
 * Semantic checks on a model that already has the right shape (zod). Returns every problem found,
 * each with a JSON pointer into the model file, plus the foreign-key edges for the dependency graph.
 */
export function checkModel(model: Model): { problems: Problem[]; edges: Edge[] } {
  const problems: Problem[] = [];
  const edges: Edge[] = [];
  const add = (pointer: string, message: string, hint?: string) => problems.push({ pointer, message, ...(hint ? { hint } : {}) });

  const tables = new Map<string, { table: Table; index: number; types: Map<string, ColumnType | undefined> }>();
  model.tables.forEach((table, ti) => {
    if (tables.has(table.name)) {
      add(
        `/tables/${ti}/name`,
        `duplicate table name "${table.name}"`,
        `table names must be unique; table ${tables.get(table.name)!.index} already uses it`,
      );
      return;
    }
    const types = new Map<string, ColumnType | undefined>();
    table.columns.forEach((c, ci) => {
      const at = `/tables/${ti}/columns/${ci}`;
      if (types.has(c.name)) add(`${at}/name`, `duplicate column name "${c.name}" in table "${table.name}"`, 'rename one of the columns');
      const type = parseColumnType(c.type);
      if (!type) add(`${at}/type`, `unknown column type "${c.type}"`, `use one of: ${COLUMN_TYPES.join(', ')}`);
      if (!types.has(c.name)) types.set(c.name, type);
    });
    tables.set(table.name, { table, index: ti, types });
  });

  const columnOf = (tableName: string, column: string) => tables.get(tableName)?.table.columns.find((c) => c.name === column);

  model.tables.forEach((table, ti) => {
    if (tables.get(table.name)?.index !== ti) return;
    const t = tables.get(table.name)!;
    const at = `/tables/${ti}`;
    const fkColumns = new Map(table.columns.filter((c) => c.references).map((c) => [c.name, c]));

    table.primaryKey.forEach((k, ki) => {
      const c = columnOf(table.name, k);
      if (!c)
        add(
          `${at}/primaryKey/${ki}`,
          `primary key column "${k}" does not exist in table "${table.name}"`,
          `declare it in ${at}/columns or fix the name`,
        );
      else if (c.nullable)
        add(`${at}/primaryKey/${ki}`, `primary key column "${k}" is nullable`, 'primary key columns cannot be NULL; remove "nullable"');
    });
    if (new Set(table.primaryKey).size !== table.primaryKey.length) add(`${at}/primaryKey`, 'a column appears twice in the primary key');

    (table.indexes ?? []).forEach((ix, xi) =>
      ix.columns.forEach((c, k) => {
        if (!columnOf(table.name, c))
          add(`${at}/indexes/${xi}/columns/${k}`, `index column "${c}" does not exist in table "${table.name}"`);
      }),
    );

    table.columns.forEach((c, ci) => {
      const cat = `${at}/columns/${ci}`;
      const type = t.types.get(c.name);
      if (!type || t.table.columns.indexOf(c) !== ci) return;
      checkColumnShape(c, type, cat, add);

      if (c.references) {
        const target = tables.get(c.references.table);
        if (!target) {
          add(
            `${cat}/references/table`,
            `foreign key "${table.name}.${c.name}" references missing table "${c.references.table}"`,
            `declare a table named "${c.references.table}" or fix the name; tables: ${[...tables.keys()].join(', ')}`,
          );
        } else {
          const refCol = columnOf(c.references.table, c.references.column);
          const refType = target.types.get(c.references.column);
          if (!refCol) {
            add(
              `${cat}/references/column`,
              `foreign key "${table.name}.${c.name}" references missing column "${c.references.table}.${c.references.column}"`,
              `columns of "${c.references.table}": ${target.table.columns.map((x) => x.name).join(', ')}`,
            );
          } else {
            const pk = target.table.primaryKey;
            if (!(pk.length === 1 && pk[0] === refCol.name) && !refCol.unique) {
              add(
                `${cat}/references/column`,
                `foreign key "${table.name}.${c.name}" must reference a primary key or unique column, and "${c.references.table}.${refCol.name}" is neither`,
                `reference "${c.references.table}.${pk.join(',')}" or mark "${refCol.name}" unique`,
              );
            }
            if (refType && !sameKeyType(type, refType)) {
              add(
                `${cat}/type`,
                `foreign key "${table.name}.${c.name}" has type ${describeType(type)} but "${c.references.table}.${refCol.name}" is ${describeType(refType)}`,
                `declare "${c.name}" as ${describeType(refType)}`,
              );
            }
            edges.push({ from: table.name, to: c.references.table, column: c.name, nullable: c.nullable === true });
          }
        }
        if (c.references.onDelete === 'SetNull' && !c.nullable)
          add(
            `${cat}/references/onDelete`,
            'onDelete "SetNull" needs a nullable column',
            'make the column nullable or choose another action',
          );
      }
      if (c.generate)
        checkGenerator(c.generate, `${cat}/generate`, {
          model,
          table,
          column: c,
          type,
          fkColumns,
          columnOf,
          typeOf: (tn, cn) => tables.get(tn)?.types.get(cn),
          add,
        });
      if (c.unique && c.generate && !cannotRepeat(c.generate)) {
        add(
          `${cat}/generate`,
          `unique column "${table.name}.${c.name}" uses a "${c.generate.kind}" generator, which can repeat values`,
          'use sequence, uuid, email, list, or a pattern/template containing {row}',
        );
      }
    });
    checkRowDependencies(table, at, add);
  });
  return { problems, edges };
}

type Add = (pointer: string, message: string, hint?: string) => void;

function checkColumnShape(c: Column, type: ColumnType, at: string, add: Add) {
  if (type.base === 'enum' && !c.values)
    add(`${at}/values`, `enum column "${c.name}" has no values`, 'list its values, e.g. "values": ["pending", "shipped"]');
  if (type.base !== 'enum' && c.values)
    add(
      `${at}/values`,
      `"values" is only allowed on enum columns, and "${c.name}" is ${describeType(type)}`,
      'remove "values" or set "type": "enum"',
    );
  if (c.values && new Set(c.values).size !== c.values.length) add(`${at}/values`, 'enum values must be distinct');
  if (type.base === 'decimal' && (type.scale > type.precision || type.precision < 1 || type.precision > 1000))
    add(`${at}/type`, `decimal(${type.precision},${type.scale}) is invalid`, 'precision must be 1-1000 and scale at most the precision');
  if (type.base === 'string' && type.length !== undefined && type.length < 1) add(`${at}/type`, 'varchar length must be at least 1');
  if (c.default === 'autoincrement' && type.base !== 'int' && type.base !== 'bigint')
    add(`${at}/default`, `"autoincrement" needs an int or bigint column, and "${c.name}" is ${describeType(type)}`);
  if (c.default === 'uuid' && type.base !== 'uuid')
    add(`${at}/default`, `"uuid" default needs a uuid column, and "${c.name}" is ${describeType(type)}`);
  if (c.default === 'now' && !isTemporal(type))
    add(`${at}/default`, `"now" default needs a date or datetime column, and "${c.name}" is ${describeType(type)}`);
  if (
    type.base === 'enum' &&
    typeof c.default === 'string' &&
    !['autoincrement', 'uuid', 'now'].includes(c.default) &&
    !c.values?.includes(c.default)
  ) {
    add(`${at}/default`, `default "${c.default}" is not one of the enum values`, `use one of: ${c.values?.join(', ')}`);
  }
  if (c.nullRate !== undefined && !c.nullable)
    add(`${at}/nullRate`, `"nullRate" on non-nullable column "${c.name}"`, 'add "nullable": true or remove nullRate');
}

interface GenContext {
  model: Model;
  table: Table;
  column: Column;
  type: ColumnType;
  fkColumns: Map<string, Column>;
  columnOf: (table: string, column: string) => Column | undefined;
  typeOf: (table: string, column: string) => ColumnType | undefined;
  add: Add;
}

function checkGenerator(g: Generator, at: string, cx: GenContext): void {
  const { add, table, column, type } = cx;
  const via = (name: string, pointer: string) => {
    const fk = cx.fkColumns.get(name);
    if (!fk)
      add(
        pointer,
        `"${name}" is not a foreign-key column of table "${table.name}"`,
        `use one of: ${[...cx.fkColumns.keys()].join(', ') || '(none: add "references" to a column)'}`,
      );
    return fk?.references;
  };
  switch (g.kind) {
    case 'faker':
      if (!fakerMethod(g.method))
        add(
          `${at}/method`,
          `unknown Faker method "${g.method}"`,
          'use a path such as "person.firstName" or "commerce.productName" (see fakerjs.dev/api)',
        );
      break;
    case 'range': {
      if (isTemporal(type)) {
        const bad = [g.min, g.max].find((v) => typeof v !== 'string' || Number.isNaN(Date.parse(v)));
        if (bad !== undefined)
          add(`${at}/${bad === g.min ? 'min' : 'max'}`, `range bound ${JSON.stringify(bad)} is not an ISO date`, 'use e.g. "2024-01-01"');
        else if (Date.parse(g.min as string) > Date.parse(g.max as string)) add(`${at}/min`, 'range min is after max');
      } else if (isNumeric(type)) {
        if (typeof g.min !== 'number' || typeof g.max !== 'number') add(at, 'range bounds of a numeric column must be numbers');
        else if (g.min > g.max) add(`${at}/min`, `range min ${g.min} is greater than max ${g.max}`, 'swap them');
      } else add(at, `"range" needs a numeric or date column, and "${column.name}" is ${describeType(type)}`);
      break;
    }
    case 'choice':
      if (g.weights && g.weights.length !== g.values.length)
        add(`${at}/weights`, `${g.weights.length} weights for ${g.values.length} values`, 'give one weight per value');
      if (g.weights && g.weights.every((w) => w === 0)) add(`${at}/weights`, 'all weights are zero');
      if (type.base === 'enum')
        g.values.forEach((v, i) => {
          if (!column.values?.includes(String(v)))
            add(`${at}/values/${i}`, `"${v}" is not a value of enum column "${column.name}"`, `use one of: ${column.values?.join(', ')}`);
        });
      break;
    case 'email':
      g.from.forEach((n, i) => {
        if (!cx.columnOf(table.name, n)) add(`${at}/from/${i}`, `column "${n}" does not exist in table "${table.name}"`);
      });
      break;
    case 'template':
      for (const m of g.template.matchAll(/(?<!\{)\{([a-z][a-z0-9_]*)\}(?!\})/g)) {
        if (m[1] !== 'row' && !cx.columnOf(table.name, m[1]!))
          add(
            `${at}/template`,
            `template refers to unknown column "${m[1]}"`,
            `columns of "${table.name}": ${table.columns.map((c) => c.name).join(', ')}`,
          );
      }
      for (const m of g.template.matchAll(/\{\{([^}]+)\}\}/g)) {
        if (!fakerMethod(m[1]!.trim()))
          add(`${at}/template`, `unknown Faker method "${m[1]}" in template`, 'use a path such as "commerce.productAdjective"');
      }
      break;
    case 'uuid':
      if (type.base !== 'uuid' && type.base !== 'string' && type.base !== 'text')
        add(at, `"uuid" generator on ${describeType(type)} column "${column.name}"`);
      break;
    case 'sequence':
      if (type.base !== 'int' && type.base !== 'bigint')
        add(at, `"sequence" needs an int or bigint column, and "${column.name}" is ${describeType(type)}`);
      break;
    case 'ref':
      if (!column.references) add(at, `"ref" generator on "${column.name}", which is not a foreign key`, 'add "references" to the column');
      if (g.nullRate !== undefined && !column.nullable) add(`${at}/nullRate`, `"nullRate" on non-nullable column "${column.name}"`);
      if (g.distinctPer !== undefined) via(g.distinctPer, `${at}/distinctPer`);
      break;
    case 'tree':
      if (column.references?.table !== table.name) add(at, `"tree" needs a foreign key to its own table ("${table.name}")`);
      if (!column.nullable) add(at, `"tree" needs a nullable column: roots have no parent`, 'add "nullable": true');
      if (g.roots > table.count) add(`${at}/roots`, `${g.roots} roots but only ${table.count} rows`);
      break;
    case 'copy': {
      const ref = via(g.via, `${at}/via`);
      if (ref) {
        const src = cx.typeOf(ref.table, g.column);
        if (!cx.columnOf(ref.table, g.column)) add(`${at}/column`, `column "${g.column}" does not exist in table "${ref.table}"`);
        else if (src && src.base !== type.base)
          add(`${at}/column`, `cannot copy ${describeType(src)} "${ref.table}.${g.column}" into ${describeType(type)} "${column.name}"`);
      }
      break;
    }
    case 'after':
      if (!isTemporal(type)) add(at, `"after" needs a date or datetime column, and "${column.name}" is ${describeType(type)}`);
      g.refs.forEach((r, i) => {
        const ref = via(r.via, `${at}/refs/${i}/via`);
        if (!ref) return;
        const src = cx.typeOf(ref.table, r.column);
        if (!src) add(`${at}/refs/${i}/column`, `column "${r.column}" does not exist in table "${ref.table}"`);
        else if (!isTemporal(src)) add(`${at}/refs/${i}/column`, `"${ref.table}.${r.column}" is not a date or datetime`);
      });
      break;
    case 'sum': {
      const child = cx.model.tables.find((t) => t.name === g.table);
      if (!child) {
        add(`${at}/table`, `sum over missing table "${g.table}"`);
        break;
      }
      const fk = child.columns.find((c) => c.name === g.via);
      if (!fk || fk.references?.table !== table.name) add(`${at}/via`, `"${g.table}.${g.via}" is not a foreign key to "${table.name}"`);
      g.multiply.forEach((m, i) => {
        const mt = cx.typeOf(g.table, m);
        if (!mt) add(`${at}/multiply/${i}`, `column "${m}" does not exist in table "${g.table}"`);
        else if (!isNumeric(mt)) add(`${at}/multiply/${i}`, `"${g.table}.${m}" is not numeric`);
      });
      if (!isNumeric(type)) add(at, `"sum" needs a numeric column, and "${column.name}" is ${describeType(type)}`);
      break;
    }
    case 'byRef': {
      const ref = via(g.via, `${at}/via`);
      if (ref && !cx.columnOf(ref.table, g.column)) add(`${at}/column`, `column "${g.column}" does not exist in table "${ref.table}"`);
      for (const [k, sub] of Object.entries(g.cases)) checkGenerator(sub, `${at}/cases/${escapePointer(k)}`, cx);
      if (g.default) checkGenerator(g.default, `${at}/default`, cx);
      break;
    }
    case 'match': {
      if (!cx.columnOf(table.name, g.column)) add(`${at}/column`, `column "${g.column}" does not exist in table "${table.name}"`);
      for (const [k, sub] of Object.entries(g.cases)) checkGenerator(sub, `${at}/cases/${escapePointer(k)}`, cx);
      if (g.default) checkGenerator(g.default, `${at}/default`, cx);
      break;
    }
    case 'pattern':
    case 'list':
      break;
  }
}

function cannotRepeat(g: Generator): boolean {
  switch (g.kind) {
    case 'sequence':
    case 'uuid':
    case 'email':
    case 'list':
      return true;
    case 'pattern':
      return g.pattern.includes('{row}');
    case 'template':
      return g.template.includes('{row}');
    case 'byRef':
    case 'match':
      return Object.values(g.cases).every(cannotRepeat) && (!g.default || cannotRepeat(g.default));
    default:
      return false;
  }
}

/** Columns of the same row that a generator reads. */
export function rowDependencies(g: Generator): string[] {
  switch (g.kind) {
    case 'email':
      return g.from;
    case 'template':
      return [...g.template.matchAll(/(?<!\{)\{([a-z][a-z0-9_]*)\}(?!\})/g)].map((m) => m[1]!).filter((n) => n !== 'row');
    case 'copy':
      return [g.via];
    case 'after':
      return g.refs.map((r) => r.via);
    case 'byRef':
      return [g.via, ...Object.values(g.cases).flatMap(rowDependencies), ...(g.default ? rowDependencies(g.default) : [])];
    case 'match':
      return [g.column, ...Object.values(g.cases).flatMap(rowDependencies), ...(g.default ? rowDependencies(g.default) : [])];
    default:
      return [];
  }
}

function checkRowDependencies(table: Table, at: string, add: Add) {
  const deps = new Map(table.columns.map((c) => [c.name, c.generate ? rowDependencies(c.generate) : []]));
  const state = new Map<string, 'active' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'active') {
      const ci = table.columns.findIndex((c) => c.name === name);
      add(
        `${at}/columns/${ci}/generate`,
        `generators of table "${table.name}" depend on each other in a circle: ${[...path.slice(path.indexOf(name)), name].join(' → ')}`,
        'break the circle by generating one of them independently',
      );
      return;
    }
    state.set(name, 'active');
    for (const d of deps.get(name) ?? []) visit(d, [...path, name]);
    state.set(name, 'done');
  };
  for (const c of table.columns) visit(c.name, []);
}

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}
