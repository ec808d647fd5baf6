import type { Problem } from '../errors.ts';
import { checkGenerator, rowDependencies } from '../seed/generators/index.ts';
import type { CheckContext } from '../seed/generators/kind.ts';
import { foreignKeyEdges, type Edge } from './graph.ts';
import { COLUMN_TYPES, NATIVE_TYPES, type Column, type Model, type Table } from './schema.ts';
import {
  isInteger,
  isJson,
  isTemporal,
  isTimeOfDay,
  parseColumnType,
  textLimit,
  sameKeyType,
  prismaScalar,
  integerMax,
  describeType,
  type ColumnType,
} from './types.ts';

/**
 * A foreign key's type against the referenced key's: see sameKeyType. A narrower integer key
 * (smallint → int) must reference numbered rows (autoincrement: 1 … count), whose count checkKeys bounds.
 */
function checkKeyType(key: string, type: ColumnType, referenced: string, refType: ColumnType, refCol: Column, at: string, add: Add) {
  const name = key.split('.')[1]!;
  if (!sameKeyType(type, refType)) {
    const [a, b] = [prismaScalar(type), prismaScalar(refType)];
    const [mine, theirs] = [describeType(type), describeType(refType)];
    const why =
      a !== b
        ? ` (Prisma ${a}) but "${referenced}" is ${theirs} (Prisma ${b}): a Prisma relation needs the same scalar type on both sides`
        : type.base === 'uuid' || refType.base === 'uuid'
          ? ` but "${referenced}" is ${theirs}: PostgreSQL has no equality between ${type.base === 'uuid' ? theirs : mine} and uuid, so it refuses the foreign key`
          : ` but "${referenced}" is ${theirs}: ecom takes a key of another type than the referenced key only for smallint → int and varchar/text of any length (char, decimal and time keys must match exactly)`;
    add(`${at}/type`, `foreign key "${key}" has type ${mine}${why}`, `declare "${name}" as ${theirs}`);
  } else if (isInteger(type) && integerMax(type) < integerMax(refType) && refCol.default !== 'autoincrement') {
    add(
      `${at}/type`,
      `foreign key "${key}" is ${describeType(type)}, narrower than "${referenced}" (${describeType(refType)}), whose values ecom does not bound`,
      `declare "${name}" as ${describeType(refType)}, or make "${referenced}" "autoincrement" (its values are then 1 … its row count)`,
    );
  }
}

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
            if (refType && !type.array)
              checkKeyType(`${table.name}.${c.name}`, type, `${c.references.table}.${refCol.name}`, refType, refCol, cat, add);
            edges.push(foreignKeyEdges(table).find((e) => e.column === c.name)!);
          }
        }
        if (type.array)
          add(`${cat}/type`, `foreign key "${table.name}.${c.name}" is an array`, 'PostgreSQL foreign keys hold one value: drop the []');
        for (const on of ['onDelete', 'onUpdate'] as const) {
          const action = c.references[on];
          if (action === 'SetNull' && !c.nullable)
            add(`${cat}/references/${on}`, `${on} "SetNull" needs a nullable column`, 'make the column nullable or choose another action');
          if (action === 'SetDefault' && c.default === undefined && !c.nullable)
            add(
              `${cat}/references/${on}`,
              `${on} "SetDefault" needs a default (or a nullable column): "${c.name}" has neither`,
              'give the column a "default" or choose another action',
            );
        }
      }
      if (c.generate)
        checkGenerator(c.generate, `${cat}/generate`, {
          model,
          table,
          column: c,
          type,
          columnOf,
          typeOf: (tn, cn) => tables.get(tn)?.types.get(cn),
          foreignKey: foreignKeyLookup(table, fkColumns, add),
          add,
        });
    });
    checkRowDependencies(table, at, add);
  });
  checkEnumTypes(model, add);
  checkConstraintNames(model, add);
  return { problems, edges };
}

/** Enum columns naming the same PostgreSQL type (`enum`) share it, so they must list the same values in the same order. */
function checkEnumTypes(model: Model, add: Add) {
  const first = new Map<string, { values: string[]; where: string }>();
  model.tables.forEach((t, ti) =>
    t.columns.forEach((c, ci) => {
      if (!c.enum || !c.values) return;
      const seen = first.get(c.enum);
      if (!seen) first.set(c.enum, { values: c.values, where: `${t.name}.${c.name}` });
      else if (seen.values.join('\u0000') !== c.values.join('\u0000'))
        add(
          `/tables/${ti}/columns/${ci}/values`,
          `"${t.name}.${c.name}" and "${seen.where}" share enum type "${c.enum}" but list different values`,
          `list the same values in the same order (${seen.values.map((v) => JSON.stringify(v)).join(', ')}), or give one another "enum" name`,
        );
    }),
  );
}

/**
 * Named primary keys and indexes are relations in PostgreSQL: no two may share a name, nor take a
 * table's. Foreign-key constraint names are per table.
 */
function checkConstraintNames(model: Model, add: Add) {
  const relations = new Map<string, string>(model.tables.map((t, ti) => [t.name, `/tables/${ti}/name`]));
  const claim = (name: string, pointer: string) => {
    const taken = relations.get(name);
    if (taken) add(pointer, `the name "${name}" is already taken (${taken})`, 'primary keys, indexes and tables need distinct names');
    else relations.set(name, pointer);
  };
  model.tables.forEach((t, ti) => {
    if (t.primaryKeyName) claim(t.primaryKeyName, `/tables/${ti}/primaryKeyName`);
    t.indexes?.forEach((ix, xi) => ix.name && claim(ix.name, `/tables/${ti}/indexes/${xi}/name`));
    const keys = new Map<string, string>();
    t.columns.forEach((c, ci) => {
      const name = c.references?.name;
      if (!name) return;
      const pointer = `/tables/${ti}/columns/${ci}/references/name`;
      const taken = keys.get(name) ?? (name === t.primaryKeyName ? `/tables/${ti}/primaryKeyName` : undefined);
      if (taken)
        add(pointer, `constraint name "${name}" is already used in table "${t.name}" (${taken})`, 'give each constraint its own name');
      keys.set(name, pointer);
    });
  });
}

type Add = CheckContext['add'];

function checkColumnShape(c: Column, type: ColumnType, at: string, add: Add) {
  const isEnum = type.base === 'enum';
  if (isEnum && !c.values)
    add(`${at}/values`, `enum column "${c.name}" has no values`, 'list its values, e.g. "values": ["pending", "shipped"]');
  if (!isEnum && c.values)
    add(
      `${at}/values`,
      `"values" is only allowed on enum columns, and "${c.name}" is ${describeType(type)}`,
      'remove "values" or set "type": "enum"',
    );
  if (!isEnum && c.enum)
    add(`${at}/enum`, `"enum" names the type of an enum column, and "${c.name}" is ${describeType(type)}`, 'remove "enum"');
  if (c.values && new Set(c.values).size !== c.values.length) add(`${at}/values`, 'enum values must be distinct');
  c.values?.forEach((v, i) => {
    if (Buffer.byteLength(v) > 63) add(`${at}/values/${i}`, `enum label "${v}" is longer than PostgreSQL's 63 bytes`, 'shorten it');
  });
  if (type.base === 'decimal' && (type.scale > type.precision || type.precision < 1 || type.precision > 1000))
    add(`${at}/type`, `decimal(${type.precision},${type.scale}) is invalid`, 'precision must be 1-1000 and scale at most the precision');
  if ((type.base === 'string' || type.base === 'char') && type.length !== undefined && (type.length < 1 || type.length > 10_485_760))
    add(`${at}/type`, `${type.base === 'char' ? 'char' : 'varchar'} length must be 1-10485760`);
  if ('precision' in type && type.base !== 'decimal' && type.precision > 6)
    add(`${at}/type`, `${type.base} precision ${type.precision} is invalid`, 'PostgreSQL keeps 0-6 digits of fractional seconds');
  if (c.default === 'autoincrement' && !isInteger(type))
    add(`${at}/default`, `"autoincrement" needs an int, smallint or bigint column, and "${c.name}" is ${describeType(type)}`);
  if (c.default === 'uuid' && (type.base !== 'uuid' || type.array))
    add(`${at}/default`, `"uuid" default needs a uuid column, and "${c.name}" is ${describeType(type)}`);
  if (c.default === 'now' && !isTemporal(type))
    add(`${at}/default`, `"now" default needs a date, timestamp or time column, and "${c.name}" is ${describeType(type)}`);
  const literal = c.default !== undefined && !['autoincrement', 'uuid', 'now'].includes(String(c.default));
  if (literal && (type.array || type.base === 'bytea' || isTimeOfDay(type)))
    add(`${at}/default`, `a literal default is not supported on ${describeType(type)} columns`, 'remove "default"');
  if (isEnum && literal && typeof c.default === 'string' && !c.values?.includes(c.default)) {
    add(`${at}/default`, `default "${c.default}" is not one of the enum values`, `use one of: ${c.values?.join(', ')}`);
  }
  if (literal && !type.array) {
    const wrong = literalDefaultProblem(c.default!, type);
    if (wrong) add(`${at}/default`, `default ${JSON.stringify(c.default)} ${wrong}`, 'fix the default or remove it');
  }
  if (c.nullRate !== undefined && !c.nullable)
    add(`${at}/nullRate`, `"nullRate" on non-nullable column "${c.name}"`, 'add "nullable": true or remove nullRate');
  if (c.native) checkNative(c.native, type, `${at}/native`, add);
}

/** What makes a literal default unfit for its column (Prisma or PostgreSQL would refuse it at codegen or migrate). */
function literalDefaultProblem(d: string | number | boolean, type: ColumnType): string | undefined {
  const what = describeType(type);
  if (isInteger(type)) return typeof d === 'number' && Number.isInteger(d) ? undefined : `is not an integer, and the column is ${what}`;
  if (type.base === 'float' || type.base === 'real')
    return typeof d === 'number' ? undefined : `is not a number, and the column is ${what}`;
  if (type.base === 'decimal')
    return typeof d === 'number' || /^-?\d+(\.\d+)?$/.test(String(d)) ? undefined : `is not a decimal number, and the column is ${what}`;
  if (type.base === 'boolean') return typeof d === 'boolean' ? undefined : 'is not true or false';
  if (typeof d !== 'string') return `is not a string, and the column is ${what}`;
  const limit = textLimit(type);
  if (limit !== undefined && d.length > limit) return `is longer than ${what} holds`;
  if (type.base === 'uuid' && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(d)) return 'is not a UUID';
  if (isJson(type) && !isJsonText(d)) return 'is not JSON text';
  if (isTemporal(type) && Number.isNaN(Date.parse(d))) return 'is not an ISO date or timestamp';
  return undefined;
}

function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Natives that the model names as a type: the type to use instead. */
const NAMED_NATIVES: Record<string, string> = {
  Text: 'text',
  VarChar: 'varchar(n)',
  Char: 'char(n)',
  Uuid: 'uuid',
  Integer: 'int',
  SmallInt: 'smallint',
  BigInt: 'bigint',
  DoublePrecision: 'float',
  Real: 'real',
  Decimal: 'decimal(p,s)',
  Timestamp: 'timestamp(p)',
  Timestamptz: 'timestamptz(p)',
  Date: 'date',
  Time: 'time(p)',
  Timetz: 'timetz(p)',
  Json: 'json',
  JsonB: 'jsonb',
  ByteA: 'bytea',
  Boolean: 'boolean',
};

/** Natives that Prisma knows but that cannot work end to end here, and why. */
const UNSUPPORTED_NATIVES: Record<string, string> = {
  Citext: 'it needs the citext extension, which ecom does not create; use "text"',
  Money: 'its text form depends on the server\'s lc_monetary, so files and dumps would not compare; use "decimal(19,2)"',
};

function checkNative(native: string, type: ColumnType, at: string, add: Add) {
  const [, name, length] = /^([A-Za-z]+)(?:\((\d+)\))?$/.exec(native) ?? [];
  const supported = Object.keys(NATIVE_TYPES).join(', ');
  if (name! in NAMED_NATIVES)
    return add(at, `native type "${native}" is a model type`, `use "type": "${NAMED_NATIVES[name!]}" and remove "native"`);
  if (name! in UNSUPPORTED_NATIVES) return add(at, `native type "${name}" is not supported`, UNSUPPORTED_NATIVES[name!]);
  const allowed = (NATIVE_TYPES as Record<string, readonly string[]>)[name!];
  if (!allowed) return add(at, `unknown native type "${native}"`, `use one of: ${supported}`);
  if (length !== undefined && name !== 'Bit' && name !== 'VarBit') add(at, `native type "${name}" takes no length`, `write "${name}"`);
  if (length !== undefined && (Number(length) < 1 || Number(length) > 83_886_080))
    add(at, `bit length ${length} is invalid`, 'use 1 or more');
  const base = type.base === 'string' && type.length !== undefined ? 'varchar(n)' : type.base;
  if (!allowed.includes(base))
    add(
      at,
      `native type "${name}" needs a column of type ${allowed.join(' or ')}, not ${describeType(type)}`,
      `set "type": "${allowed[0]}"`,
    );
}

/** A generator's lookup of a foreign-key column of its table by name; reports a name that is none. */
function foreignKeyLookup(table: Table, fkColumns: Map<string, Column>, add: Add): CheckContext['foreignKey'] {
  return (name, pointer) => {
    const fk = fkColumns.get(name);
    if (!fk)
      add(
        pointer,
        `"${name}" is not a foreign-key column of table "${table.name}"`,
        `use one of: ${[...fkColumns.keys()].join(', ') || '(none: add "references" to a column)'}`,
      );
    return fk?.references;
  };
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
