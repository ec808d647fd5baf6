import type { ResolvedColumn, ResolvedModel, ResolvedTable } from '../src/model/resolve.ts';
import { generatedBy } from './header.ts';
import { camelCase, enumMembers, enumTypeOf, modelName, pascalCase } from './naming.ts';

/** Where the generated Prisma client goes, relative to prisma/schema.prisma. */
export const CLIENT_OUTPUT = '../src/generated/prisma';

interface Relation {
  fk: ResolvedColumn;
  child: ResolvedTable;
  parent: ResolvedTable;
  field: string;
  backField: string;
  name?: string;
}

/** The Prisma field name of a column. */
export function fieldName(column: string): string {
  return camelCase(column);
}

/**
 * Relations of the PostgreSQL tables, with field names on both sides. A relation gets an explicit
 * name when Prisma could not pair the sides on its own (self-references, several keys to one table).
 */
export function relationsOf(model: ResolvedModel): Relation[] {
  const pgTables = model.tables.filter((t) => t.inPostgres);
  const rels: Relation[] = [];
  for (const child of pgTables) {
    const columnFields = new Set(child.columns.map((c) => fieldName(c.name)));
    for (const fk of child.foreignKeys) {
      const parent = model.table(fk.ref!.table);
      const base = fk.name.endsWith('_id') ? camelCase(fk.name.slice(0, -3)) : `${camelCase(fk.name)}Ref`;
      const field = columnFields.has(base) ? `${base}Rel` : base;
      const siblings = child.foreignKeys.filter((f) => f.ref!.table === parent.name);
      const selfRefs = parent === child ? siblings.length : 0;
      // Prisma pairs relation fields by model pair, in either direction
      const reverse = parent === child ? [] : parent.foreignKeys.filter((f) => f.ref!.table === child.name);
      const ambiguous = siblings.length + reverse.length > 1 || parent === child;
      const backField = selfRefs === 1 ? 'children' : ambiguous ? `${camelCase(child.name)}By${pascalCase(field)}` : camelCase(child.name);
      rels.push({ fk, child, parent, field, backField, ...(ambiguous ? { name: `${modelName(child.name)}${pascalCase(field)}` } : {}) });
    }
  }
  return rels;
}

export function emitPrismaSchema(model: ResolvedModel, modelFile: string): string {
  const relations = relationsOf(model);
  const out: string[] = [
    `${generatedBy(modelFile)} Do not edit: change the model and run codegen again.`,
    '',
    'generator client {',
    '  provider        = "prisma-client"',
    `  output          = "${CLIENT_OUTPUT}"`,
    '  moduleFormat    = "esm"',
    // relations in one query (LATERAL JOIN + JSON) instead of one query per relation
    '  previewFeatures = ["relationJoins"]',
    '}',
    '',
    'datasource db {',
    '  provider = "postgresql"',
    '}',
  ];

  const enums = new Set<string>();
  for (const table of model.tables.filter((t) => t.inPostgres)) {
    for (const c of table.columns.filter((c) => c.type.base === 'enum')) {
      const { prisma, db } = enumTypeOf(table.name, c);
      if (enums.has(db)) continue; // a shared type, declared by its first column
      enums.add(db);
      const members = enumMembers(c.def.values!);
      const width = Math.max(...members.map((m) => m.name.length));
      out.push(
        '',
        `enum ${prisma} {`,
        ...members.map((m) => (m.name === m.label ? `  ${m.name}` : `  ${m.name.padEnd(width)} @map(${JSON.stringify(m.label)})`)),
        '',
        `  @@map("${db}")`,
        '}',
      );
    }
  }

  for (const table of model.tables.filter((t) => t.inPostgres)) {
    const rows: string[][] = [];
    for (const c of table.columns) rows.push(columnField(table, c));
    for (const r of relations.filter((r) => r.child === table)) {
      const args = [
        ...(r.name ? [`"${r.name}"`] : []),
        `fields: [${fieldName(r.fk.name)}]`,
        `references: [${fieldName(r.fk.ref!.column)}]`,
      ];
      const { onDelete, onUpdate, name } = r.fk.def.references!;
      if (onDelete) args.push(`onDelete: ${onDelete}`);
      if (onUpdate) args.push(`onUpdate: ${onUpdate}`);
      if (name) args.push(`map: "${name}"`);
      rows.push([r.field, `${modelName(r.parent.name)}${r.fk.nullable ? '?' : ''}`, `@relation(${args.join(', ')})`]);
    }
    for (const r of relations.filter((r) => r.parent === table)) {
      const type = r.fk.unique ? `${modelName(r.child.name)}?` : `${modelName(r.child.name)}[]`;
      rows.push([r.backField, type, ...(r.name ? [`@relation("${r.name}")`] : [])]);
    }

    const attrs: string[] = [];
    const pkName = table.def.primaryKeyName ? `, map: "${table.def.primaryKeyName}"` : '';
    if (table.primaryKey.length > 1) attrs.push(`@@id([${table.primaryKey.map((c) => fieldName(c.name)).join(', ')}]${pkName})`);
    // an unnamed index the table already has (a unique column, an index declared twice) would get the
    // same default name as the first, which Prisma rejects: it adds nothing, so it is left out
    const declared = new Set(table.columns.filter((c) => c.unique).map((c) => `unique:${c.name}`));
    for (const ix of table.def.indexes ?? []) {
      const kind = ix.unique ? 'unique' : 'index';
      const id = `${kind}:${ix.columns.join(',')}`;
      if (!ix.name && declared.has(id)) continue;
      declared.add(id);
      attrs.push(`@@${kind}([${ix.columns.map(fieldName).join(', ')}]${ix.name ? `, map: "${ix.name}"` : ''})`);
    }
    for (const fk of table.foreignKeys) if (!isIndexed(table, fk)) attrs.push(`@@index([${fieldName(fk.name)}])`);
    attrs.push(`@@map("${table.name}")`);

    out.push(
      '',
      ...(table.def.description ? [`/// ${table.def.description}`] : []),
      `model ${modelName(table.name)} {`,
      ...align(rows),
      '',
      ...inPrismaOrder(attrs, BLOCK_ORDER).map((a) => `  ${a}`),
      '}',
    );
  }
  return out.join('\n') + '\n';
}

function columnField(table: ResolvedTable, c: ResolvedColumn): string[] {
  const { scalar, native } = prismaType(table, c);
  const attrs = c.def.native ? [`@db.${c.def.native}`] : native ? [`@db.${native}`] : [];
  const lead: string[] = [];
  if (table.primaryKey.length === 1 && table.primaryKey[0] === c)
    lead.push(table.def.primaryKeyName ? `@id(map: "${table.def.primaryKeyName}")` : '@id');
  if (c.def.default !== undefined) lead.push(`@default(${defaultValue(c)})`);
  if (c.unique) lead.push('@unique');
  if (fieldName(c.name) !== c.name) lead.push(`@map("${c.name}")`);
  // Prisma has no optional lists: an array column is a list, NULL or not
  const optional = c.nullable && !c.type.array ? '?' : '';
  return [fieldName(c.name), `${scalar}${c.type.array ? '[]' : ''}${optional}`, ...inPrismaOrder([...lead, ...attrs], FIELD_ORDER)];
}

/** The Prisma scalar (or enum) of a column's element type, and the native type (@db.…) it needs, if any. */
function prismaType(table: ResolvedTable, c: ResolvedColumn): { scalar: string; native?: string } {
  const t = c.type;
  switch (t.base) {
    case 'int':
      return { scalar: 'Int' };
    case 'smallint':
      return { scalar: 'Int', native: 'SmallInt' };
    case 'bigint':
      return { scalar: 'BigInt' };
    case 'string':
      return t.length !== undefined ? { scalar: 'String', native: `VarChar(${t.length})` } : { scalar: 'String' };
    case 'char':
      return { scalar: 'String', native: `Char(${t.length})` };
    case 'text':
      return { scalar: 'String' };
    case 'boolean':
      return { scalar: 'Boolean' };
    case 'decimal':
      return { scalar: 'Decimal', native: `Decimal(${t.precision}, ${t.scale})` };
    case 'float':
      return { scalar: 'Float' };
    case 'real':
      return { scalar: 'Float', native: 'Real' };
    case 'date':
      return { scalar: 'DateTime', native: 'Date' };
    case 'datetime':
      return { scalar: 'DateTime', native: 'Timestamptz(3)' };
    case 'timestamp':
      return { scalar: 'DateTime', native: `Timestamp(${t.precision})` };
    case 'timestamptz':
      return { scalar: 'DateTime', native: `Timestamptz(${t.precision})` };
    case 'time':
      return { scalar: 'DateTime', native: `Time(${t.precision})` };
    case 'timetz':
      return { scalar: 'DateTime', native: `Timetz(${t.precision})` };
    case 'uuid':
      return { scalar: 'String', native: 'Uuid' };
    case 'json': // Prisma's Json is jsonb on PostgreSQL, for both
    case 'jsonb':
      return { scalar: 'Json' };
    case 'bytea':
      return { scalar: 'Bytes' };
    case 'enum':
      return { scalar: enumTypeOf(table.name, c).prisma };
  }
}

/**
 * The order `prisma format` puts attributes in (prisma-engines' reformatter): by the first of these
 * names an attribute starts with, the others (`@db.*`, `@ignore`) after them, each group as written.
 */
const FIELD_ORDER = ['id', 'unique', 'default', 'updatedAt', 'map', 'relation'];
const BLOCK_ORDER = ['id', 'unique', 'index', 'map'];

function inPrismaOrder(attrs: string[], order: string[]): string[] {
  const rank = (a: string) => {
    const i = order.findIndex((name) => a.replace(/^@+/, '').startsWith(name));
    return i < 0 ? order.length : i;
  };
  return attrs.toSorted((a, b) => rank(a) - rank(b)); // stable: ties keep their order
}

function defaultValue(c: ResolvedColumn): string {
  const d = c.def.default!;
  if (d === 'autoincrement') return 'autoincrement()';
  if (d === 'uuid') return 'uuid()';
  if (d === 'now') return 'now()';
  if (c.type.base === 'enum') return enumMembers(c.def.values!).find((m) => m.label === d)!.name;
  if (typeof d === 'string') return JSON.stringify(d);
  return String(d);
}

/** True when an index already starts with the column (primary key, unique, or a declared index). */
function isIndexed(table: ResolvedTable, c: ResolvedColumn): boolean {
  if (table.primaryKey[0] === c || c.unique) return true;
  return (table.def.indexes ?? []).some((ix) => ix.columns[0] === c.name);
}

/** Aligns fields in columns, as `prisma format` does. */
function align(rows: string[][]): string[] {
  const w0 = Math.max(...rows.map((r) => r[0]!.length));
  const w1 = Math.max(...rows.map((r) => r[1]!.length));
  return rows.map((r) => {
    const [name, type, ...attrs] = r;
    return `  ${name!.padEnd(w0)} ${attrs.length ? type!.padEnd(w1) + ' ' + attrs.join(' ') : type}`.trimEnd();
  });
}
