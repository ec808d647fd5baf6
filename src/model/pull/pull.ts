import { EcomError } from '../../errors.ts';
import type { Database } from '../../db/database.ts';
import { foreignKeyEdges, orderTables } from '../graph.ts';
import { integerMax, parseColumnType, sameKeyType } from '../types.ts';
import { parseModel } from '../load.ts';
import { columnSchema, tableSchema, type Column, type Model, type Table } from '../schema.ts';
import { readCatalog, type Catalog, type CatalogColumn, type CatalogTable } from './catalog.ts';
import { inferCounts } from './counts.ts';
import { inferGenerator, PAST, type ColumnFacts } from './generators.ts';
import { refineFromData } from './sample.ts';
import { fitTimelines } from './timelines.ts';
import { DEFAULT_NOW } from '../resolve.ts';
import { mapType } from './types.ts';

/** One thing of the database the model holds only approximately, or not at all. */
export interface Approximation {
  /** table, table.column, or the object's kind and name ("view film_list"). */
  location: string;
  what: string;
  /** What the model keeps instead. */
  kept: string;
}

export interface PullResult {
  model: Model;
  approximations: Approximation[];
  /** Rows per table as found (0 for an empty database: counts are then inferred from the schema's shape). */
  rows: Record<string, number>;
}

const IDENTIFIER = /^[a-z][a-z0-9_]{0,62}$/;
const ACTIONS: Record<string, string> = { a: 'NoAction', r: 'Restrict', c: 'Cascade', n: 'SetNull', d: 'SetDefault' };

/** Introspects `schema` of the database and returns a model that passes ecom's validation, with what it approximated. */
export async function pull(db: Pick<Database, 'query'>, options: { schema?: string; name?: string } = {}): Promise<PullResult> {
  const schema = options.schema ?? 'public';
  const exists = await db.query('select 1 from pg_namespace where nspname = $1', [schema]);
  if (exists.length === 0)
    throw new EcomError(`schema "${schema}" does not exist in the database`, [
      { pointer: 'flags', message: `no schema named "${schema}"`, hint: 'pass an existing schema with --schema (default: public)' },
    ]);
  const catalog = await readCatalog(db, schema);
  if (catalog.tables.length === 0)
    throw new EcomError(`schema "${schema}" has no tables to pull`, [
      { pointer: 'flags', message: `no tables in schema "${schema}"`, hint: 'load your schema first, or pass another --schema' },
    ]);
  const [{ name: dbName }] = (await db.query<{ name: string }>('select current_database() as name')) as [{ name: string }];
  const result = buildModel(catalog, options.name ?? identifier(dbName, 'pulled'));
  // the database's own names of the model's tables and columns (pull makes them snake_case)
  const origin = new Map(
    catalog.tables.map((t) => [
      identifier(t.name, 'table'),
      { table: t.name, columns: new Map(t.columns.map((c) => [identifier(c.name, 'column'), c.name])) },
    ]),
  );
  if ((await refineFromData(db, schema, result.model, result.rows, origin)) > 0) validate(result.model);
  return result;
}

/** The model of a catalog (pure: the database was read before). */
export function buildModel(catalog: Catalog, name: string): PullResult {
  const report: Approximation[] = [];
  const note = (location: string, what: string, kept: string) => report.push({ location, what, kept });
  const names = new Map(catalog.tables.map((t) => [t.name, identifier(t.name, 'table')]));
  for (const [from, to] of names) if (from !== to) note(from, `table name "${from}" is not snake_case`, `table "${to}"`);

  for (const o of catalog.others)
    note(
      `${o.kind} ${o.name}`,
      o.of ? `${o.kind} of ${o.of}` : `a ${o.kind}`,
      o.of ? `its rows belong to "${names.get(o.of) ?? o.of}", one plain table` : 'not in the model (ecom creates tables only)',
    );
  for (const r of catalog.rules) note(`rule ${r.name}`, `rule on ${r.table}`, 'not in the model');

  const kept = catalog.tables.filter((t) => {
    if (primaryKeyOf(t)) return true;
    note(names.get(t.name)!, 'table without a primary key or a unique key of NOT NULL columns', 'left out of the model (ecom needs a key)');
    return false;
  });
  const keptNames = new Set(kept.map((t) => t.name));
  const tables = kept.map((t) => buildTable(t, catalog, names, keptNames, note));
  fitKeyTypes(tables, note);
  const rows = Object.fromEntries(kept.map((t) => [names.get(t.name)!, t.rows]));
  const counts = inferCounts(tables, rows);
  for (const t of tables) t.count = counts[t.name]!;
  inferGenerators(tables, catalog, names);
  fitTimelines(tables, DEFAULT_NOW, PAST.min);

  const model: Model = { name, tables };
  validate(model);
  return { model, approximations: report, rows };
}

/** The pulled model goes through the loader's checks, as a --model file does: anything it rejects is a bug of pull. */
function validate(model: Model): void {
  try {
    parseModel(JSON.stringify(model), 'the pulled model');
  } catch (e) {
    if (e instanceof EcomError)
      throw new EcomError(`pull made a model that ecom rejects (a bug in pull; please report it): ${e.message}`, e.problems, 1, {
        cause: e,
      });
    throw e;
  }
}

/** A snake_case identifier for a database name that is not one. */
function identifier(name: string, fallback: string): string {
  if (IDENTIFIER.test(name)) return name;
  const snake = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const id = /^[a-z]/.test(snake) ? snake : `${fallback}_${snake}`;
  return id.slice(0, 63);
}

/** The primary key's columns, or the first unique key of NOT NULL columns instead. */
function primaryKeyOf(t: CatalogTable): { columns: string[]; name: string; replaced: boolean } | undefined {
  const pk = t.constraints.find((k) => k.type === 'p');
  if (pk) return { columns: pk.columns, name: pk.name, replaced: false };
  const notNull = (c: string) => t.columns.find((x) => x.name === c)?.notNull;
  const unique = t.indexes.find((i) => i.unique && !i.partial && i.columns?.every(notNull));
  return unique ? { columns: unique.columns!, name: unique.name, replaced: true } : undefined;
}

type Note = (location: string, what: string, kept: string) => void;

/** Whether the model format takes a key on a column (fields the `types` work adds: onUpdate, names…). */
const columnTakes = (extra: Record<string, unknown>) => columnSchema.safeParse({ name: 'x', type: 'int', ...extra }).success;
const tableTakes = (extra: Record<string, unknown>) =>
  tableSchema.safeParse({
    name: 'x',
    count: 1,
    destination: 'postgres',
    primaryKey: ['x'],
    columns: [{ name: 'x', type: 'int' }],
    ...extra,
  }).success;

function buildTable(t: CatalogTable, catalog: Catalog, names: Map<string, string>, keptNames: Set<string>, note: Note): Table {
  const table = names.get(t.name)!;
  const colNames = new Map(t.columns.map((c) => [c.name, identifier(c.name, 'column')]));
  const col = (c: string) => colNames.get(c)!;
  const at = (c: string) => `${table}.${col(c)}`;
  for (const [from, to] of colNames) if (from !== to) note(`${table}.${from}`, `column name "${from}" is not snake_case`, `column "${to}"`);
  if (t.partitioned) note(table, 'partitioned table', 'one plain table with the same columns and keys');
  for (const trigger of t.triggers) note(table, `trigger ${trigger}`, 'not in the model: generated rows do not go through it');

  const pk = primaryKeyOf(t)!;
  if (pk.replaced) note(table, 'no primary key', `the unique key ${pk.name} (${pk.columns.join(', ')}) is the primary key`);
  const columns: Column[] = t.columns.map((c) => buildColumn(c, table, catalog, at(c.name), note));
  const byName = new Map(columns.map((c, i) => [t.columns[i]!.name, c]));

  // unique constraints and unique indexes: one column → "unique", several → a unique index
  const indexes: NonNullable<Table['indexes']> = [];
  const named = tableTakes({ indexes: [{ columns: ['x'], name: 'x' }] });
  const pkAlone = pk.columns.length === 1 ? pk.columns[0] : undefined;
  for (const ix of t.indexes) {
    if (ix.primary || (pk.replaced && ix.name === pk.name)) continue;
    if (!ix.columns || ix.partial) {
      note(table, `${ix.partial ? 'partial' : 'expression'} index ${ix.name}: ${ix.definition}`, 'not in the model');
      continue;
    }
    if (ix.method !== 'btree') {
      note(table, `${ix.method} index ${ix.name}: ${ix.definition}`, 'not in the model (ecom creates btree indexes)');
      continue;
    }
    const columnsOf = ix.columns.map(col);
    const suffix = ix.unique ? 'key' : 'idx';
    const nameOf = named && ix.name !== `${table}_${columnsOf.join('_')}_${suffix}` ? { name: ix.name } : {};
    if (ix.unique && ix.columns.length === 1 && Object.keys(nameOf).length === 0) {
      if (ix.columns[0] !== pkAlone) byName.get(ix.columns[0]!)!.unique = true;
      continue;
    }
    if (!ix.unique && ix.columns.length === 1 && derivedIndex(t, ix.columns[0]!, pkAlone) && Object.keys(nameOf).length === 0) continue;
    indexes.push({ columns: columnsOf, ...(ix.unique ? { unique: true } : {}), ...nameOf });
  }

  for (const k of t.constraints) {
    if (k.type === 'c')
      note(table, `CHECK constraint ${k.name}: ${k.definition}`, 'not in the model: generated values are not checked against it');
    if (k.type === 'x') note(table, `exclusion constraint ${k.name}: ${k.definition}`, 'not in the model');
    if (k.type !== 'f') continue;
    if (k.partitions) {
      const { names, of, lifted } = k.partitions;
      const which = names.length <= 3 ? names.join(', ') : `${names[0]} … ${names.at(-1)}`;
      note(
        `${table}.${k.columns.map(col).join(',')}`,
        lifted
          ? `foreign key to ${k.refTable} declared on ${names.length} of ${of} partitions (${which}), not on the table`
          : `foreign keys of partitions (${which}) on these columns reference different tables`,
        lifted ? 'a foreign key of the table: every row references a row' : 'its columns, without a foreign key',
      );
      if (!lifted) continue;
    }
    if (k.columns.length > 1) {
      note(
        `${table}.${k.columns.map(col).join(',')}`,
        `composite foreign key ${k.name}: ${k.definition}`,
        'its columns, without the foreign key',
      );
      continue;
    }
    if (!keptNames.has(k.refTable!)) {
      note(at(k.columns[0]!), `foreign key ${k.name} to ${k.refTable}, which is not in the model`, 'the column, without the foreign key');
      continue;
    }
    const c = byName.get(k.columns[0]!)!;
    const references: NonNullable<Column['references']> & Record<string, unknown> = {
      table: names.get(k.refTable!)!,
      column: identifier(k.refColumns![0]!, 'column'),
    };
    const onDelete = ACTIONS[k.onDelete!]!;
    const prismaDefault = c.nullable ? 'SetNull' : 'Restrict';
    if (onDelete !== prismaDefault) {
      if (onDelete === 'SetNull' && !c.nullable)
        note(at(k.columns[0]!), `ON DELETE SET NULL on a NOT NULL column (${k.name})`, 'the default, ON DELETE RESTRICT');
      else if (columnTakes({ references: { table: 'x', column: 'x', onDelete } })) references.onDelete = onDelete as never;
      else note(at(k.columns[0]!), `ON DELETE ${onDelete} (${k.name})`, `the default, ON DELETE ${prismaDefault}`);
    }
    const onUpdate = ACTIONS[k.onUpdate!]!;
    if (onUpdate !== 'Cascade') {
      if (columnTakes({ references: { table: 'x', column: 'x', onUpdate } })) references.onUpdate = onUpdate as never;
      else note(at(k.columns[0]!), `ON UPDATE ${onUpdate} (${k.name})`, 'ON UPDATE CASCADE (the model has no onUpdate yet)');
    }
    if (k.name !== `${t.name}_${k.columns[0]}_fkey` && columnTakes({ references: { table: 'x', column: 'x', name: k.name } }))
      references.name = k.name;
    c.references = references;
  }

  const pkName = pk.name !== `${t.name}_pkey` && !pk.replaced && tableTakes({ primaryKeyName: pk.name }) ? { primaryKeyName: pk.name } : {};
  return {
    name: table,
    count: 1,
    destination: 'postgres',
    primaryKey: pk.columns.map(col),
    ...pkName,
    columns,
    ...(indexes.length ? { indexes } : {}),
  } as Table;
}

/** An index ecom makes by itself: a plain index on a foreign key that no other index, nor the primary key, starts with. */
function derivedIndex(t: CatalogTable, column: string, pkAlone: string | undefined): boolean {
  const fk = t.constraints.some((k) => k.type === 'f' && k.columns.length === 1 && k.columns[0] === column);
  const pk = t.constraints.find((k) => k.type === 'p');
  if (!fk || pk?.columns[0] === column || column === pkAlone) return false;
  return !t.indexes.some((i) => (i.unique || (i.columns?.length ?? 0) > 1) && !i.partial && i.columns?.[0] === column);
}

function buildColumn(c: CatalogColumn, table: string, catalog: Catalog, at: string, note: Note): Column {
  const mapped = mapType(c, catalog.enums, `${table}_${c.name}`);
  if (mapped.approximation) note(at, `type ${c.formatted}`, mapped.approximation);
  if (c.domain)
    note(
      at,
      `domain ${c.domain}${c.domainChecks.length ? ` (${c.domainChecks.join(', ')})` : ''}`,
      `its base type, ${mapped.type}${c.domainChecks.length ? ', unchecked' : ''}`,
    );
  if (c.generated !== undefined) note(at, `generated column: GENERATED ALWAYS AS (${c.generated})`, 'a plain column filled by a generator');
  if (c.identity) note(at, 'identity column (GENERATED AS IDENTITY)', 'a serial column ("default": "autoincrement")');
  if (/^(gen_random_uuid|uuid_generate_v4)\(\)$/.test(c.default ?? ''))
    note(at, `default ${c.default}`, '"default": "uuid": Prisma and the seed fill it, the database has no default');
  const column: Column & Record<string, unknown> = { name: identifier(c.name, 'column'), type: mapped.type };
  if (mapped.values) column.values = mapped.values;
  if (mapped.enumName) column.enum = mapped.enumName;
  if (mapped.native) column.native = mapped.native;
  if (!c.notNull) column.nullable = true;
  const d = c.generated === undefined ? defaultOf(c, mapped.type, mapped.values) : undefined;
  if (d !== undefined) column.default = d;
  else if (c.default !== undefined && c.generated === undefined) note(at, `default ${c.default}`, 'no database default');
  if (c.isEnum && mapped.type !== 'enum' && mapped.type !== 'enum[]')
    column.description = `enum labels: ${(catalog.enums.get(c.typname) ?? []).join(', ')}`;
  return column;
}

/** The model's form of a database default, when it has one. */
function defaultOf(c: CatalogColumn, type: string, values?: string[]): Column['default'] {
  if (c.identity || /^nextval\(/.test(c.default ?? '')) return /^(int|bigint|smallint)$/.test(type) ? 'autoincrement' : undefined;
  const d = c.default;
  if (d === undefined) return undefined;
  if (/^(now\(\)|CURRENT_TIMESTAMP|CURRENT_DATE|LOCALTIMESTAMP|transaction_timestamp\(\)|\(?'now'::text\)?)/i.test(d))
    return /^(date|datetime|timestamp|timestamptz)/.test(type) ? 'now' : undefined;
  if (/^(gen_random_uuid|uuid_generate_v4)\(\)$/.test(d)) return type === 'uuid' ? 'uuid' : undefined;
  const literal = /^'((?:[^']|'')*)'(?:::[\w ."]+)*$/.exec(d);
  if (literal) {
    const v = literal[1]!.replace(/''/g, "'");
    if (type === 'enum' && !values?.includes(v)) return undefined;
    if (/^(int|bigint|smallint|float|real|decimal)/.test(type)) return Number.isFinite(Number(v)) ? Number(v) : undefined;
    if (type === 'boolean') return v === 'true' ? true : v === 'false' ? false : undefined;
    return /^(date|datetime|timestamp|time|json|jsonb|bytea)/.test(type) || type.endsWith('[]') ? undefined : v;
  }
  const number = /^\(?(-?\d+(?:\.\d+)?)\)?(?:::[\w ."]+)*$/.exec(d);
  if (number && /^(int|bigint|smallint|float|real|decimal)/.test(type)) return Number(number[1]);
  if ((d === 'true' || d === 'false') && type === 'boolean') return d === 'true';
  return undefined;
}

/**
 * A foreign key keeps its type where the model takes it (see sameKeyType: smallint → int, varchar →
 * text); otherwise it takes the referenced key's type, which a Prisma relation needs.
 */
function fitKeyTypes(tables: Table[], note: Note): void {
  const byName = new Map(tables.map((t) => [t.name, t]));
  for (const t of tables)
    for (const c of t.columns) {
      if (!c.references) continue;
      const referenced = byName.get(c.references.table)!.columns.find((x) => x.name === c.references!.column)!;
      const [own, theirs] = [parseColumnType(c.type), parseColumnType(referenced.type)];
      if (!own || !theirs) continue;
      const fits = sameKeyType(own, theirs) && (integerMax(own) >= integerMax(theirs) || referenced.default === 'autoincrement');
      if (fits) continue;
      note(
        `${t.name}.${c.name}`,
        `type ${c.type} of a foreign key to ${c.references.table}.${referenced.name} (${referenced.type})`,
        sameKeyType(own, theirs)
          ? `${referenced.type}, the referenced key's type: its values are not numbered rows, so ecom cannot keep them within ${c.type}`
          : `${referenced.type}, the referenced key's type: a Prisma relation needs the same scalar type on both sides`,
      );
      c.type = referenced.type;
    }
}

function inferGenerators(tables: Table[], catalog: Catalog, names: Map<string, string>): void {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const order = orderTables(
    tables.map((t) => t.name),
    tables.flatMap(foreignKeyEdges),
  );
  const deferred = new Set(order.ok ? order.deferred.map((e) => `${e.from}.${e.column}`) : []);
  const enumsByColumn = new Map<string, string[]>();
  for (const t of catalog.tables)
    for (const c of t.columns)
      if (c.isEnum) enumsByColumn.set(`${names.get(t.name)}.${identifier(c.name, 'column')}`, catalog.enums.get(c.typname) ?? []);

  for (const t of tables) {
    const uniqueAlone = (c: string) =>
      (t.primaryKey.length === 1 && t.primaryKey[0] === c) ||
      t.columns.find((x) => x.name === c)?.unique === true ||
      (t.indexes ?? []).some((ix) => ix.unique && ix.columns.length === 1 && ix.columns[0] === c);
    const distinctPer = joinKeys(t, uniqueAlone);
    const forced = forcedDistinct(t, uniqueAlone, distinctPer);
    for (const c of t.columns) {
      const ref = c.references;
      const parentTimes = t.columns
        .filter((k) => k.references && k.references.table !== t.name && !deferred.has(`${t.name}.${k.name}`))
        .flatMap((k) => {
          const parent = byName.get(k.references!.table)!;
          const times = parent.columns.filter((p) => /^(date|datetime|timestamp|timestamptz)/.test(p.type) && !p.type.endsWith('[]'));
          // the parent's own event (created, ordered, updated), never a birth date or a deadline
          const events = times.filter((p) => !/birth|born|dob|expir|due|deadline|required|end/.test(p.name));
          const pick = events.find((p) => p.name === c.name) ?? events.find((p) => /creat|_date$|_at$|update/.test(p.name));
          return pick ? [{ via: k.name, column: pick.name }] : [];
        });
      const facts: ColumnFacts = {
        table: t.name,
        name: c.name,
        type: c.type,
        nullable: c.nullable === true,
        unique: uniqueAlone(c.name) || forced.has(c.name),
        autoincrement: c.default === 'autoincrement',
        ...(c.native ? { native: c.native } : {}),
        ...(enumsByColumn.has(`${t.name}.${c.name}`) ? { labels: enumsByColumn.get(`${t.name}.${c.name}`)! } : {}),
        count: t.count,
        siblings: t.columns.map((x) => x.name).filter((x) => x !== c.name),
        ...(ref
          ? {
              foreignKey: {
                table: ref.table,
                self: ref.table === t.name,
                oneToOne: uniqueAlone(c.name),
                ...(distinctPer.has(c.name) ? { distinctPer: distinctPer.get(c.name)! } : {}),
                ...([...distinctPer.values()].includes(c.name) ? { numbersSiblings: true } : {}),
              },
            }
          : {}),
        parentTimes,
        siblingTimes: t.columns
          .filter((x) => x !== c && /^(date|datetime|timestamp|timestamptz)/.test(x.type) && !x.type.endsWith('[]'))
          .map((x) => x.name),
      };
      const { generator } = inferGenerator(facts);
      if (generator) c.generate = generator;
    }
  }
}

/** Unique keys of several foreign keys (join tables): the second key takes distinct parents per parent of the first. */
function joinKeys(t: Table, uniqueAlone: (c: string) => boolean): Map<string, string> {
  const per = new Map<string, string>();
  for (const key of multiColumnKeys(t)) {
    const fks = key.filter((c) => t.columns.find((x) => x.name === c)?.references);
    if (fks.length < 2 || key.some(uniqueAlone) || key.some((c) => per.has(c))) continue;
    if (key.some((c) => cannotRepeatByItself(t, c))) continue;
    per.set(fks[1]!, fks[0]!);
  }
  return per;
}

/** Keys of several columns that nothing else makes unique: their first text or integer column gets values that cannot repeat. */
function forcedDistinct(t: Table, uniqueAlone: (c: string) => boolean, per: Map<string, string>): Set<string> {
  const forced = new Set<string>();
  for (const key of multiColumnKeys(t)) {
    if (key.some((c) => uniqueAlone(c) || per.has(c) || forced.has(c) || cannotRepeatByItself(t, c))) continue;
    const pick = key.find((c) => {
      const col = t.columns.find((x) => x.name === c)!;
      return !col.references && /^(int|bigint|smallint|text|string|varchar|char)/.test(col.type);
    });
    if (pick) forced.add(pick);
  }
  return forced;
}

function multiColumnKeys(t: Table): string[][] {
  return [t.primaryKey, ...(t.indexes ?? []).filter((ix) => ix.unique).map((ix) => ix.columns)].filter((k) => k.length > 1);
}

function cannotRepeatByItself(t: Table, c: string): boolean {
  const col = t.columns.find((x) => x.name === c)!;
  return col.default === 'autoincrement' || col.type === 'uuid';
}
