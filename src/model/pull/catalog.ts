import type { Database } from '../../db/database.ts';

/** What PostgreSQL's catalog says about one schema, read through the Database interface (PGlite and PostgreSQL alike). */
export interface Catalog {
  schema: string;
  tables: CatalogTable[];
  /** Enum types by name, labels in their sort order. */
  enums: Map<string, string[]>;
  /** Objects that are not tables with rows of their own: views, partitions, inheritance children, foreign tables. */
  others: { name: string; kind: 'view' | 'materialized view' | 'partition' | 'inheritance child' | 'foreign table'; of?: string }[];
  /** Rules other than views' own. */
  rules: { table: string; name: string }[];
}

export interface CatalogTable {
  name: string;
  partitioned: boolean;
  rows: number;
  columns: CatalogColumn[];
  constraints: CatalogConstraint[];
  indexes: CatalogIndex[];
  triggers: string[];
}

export interface CatalogColumn {
  name: string;
  notNull: boolean;
  /** format_type(): "character varying(20)", "numeric(5,2)", "text[]", "public.year"… */
  formatted: string;
  /** The type's name in pg_type (the element's for an array, the base type's for a domain). */
  typname: string;
  /** typmod of the column (or of the domain's base type): lengths and precisions. */
  typmod: number;
  array: boolean;
  /** The domain's name when the column's type is a domain. */
  domain?: string;
  /** The domain's CHECK constraints. */
  domainChecks: string[];
  isEnum: boolean;
  default?: string;
  generated?: string;
  identity: boolean;
}

export interface CatalogConstraint {
  name: string;
  /** p primary key, u unique, f foreign key, c check, x exclusion */
  type: 'p' | 'u' | 'f' | 'c' | 'x';
  columns: string[];
  definition: string;
  refTable?: string;
  refColumns?: string[];
  /** a no action, r restrict, c cascade, n set null, d set default */
  onUpdate?: string;
  onDelete?: string;
  /**
   * A foreign key declared on partitions of the table, not on the table itself: the partitions that
   * declare it, of how many, and whether it is the table's (they agree on the key it references).
   */
  partitions?: { names: string[]; of: number; lifted: boolean };
}

export interface CatalogIndex {
  name: string;
  unique: boolean;
  primary: boolean;
  /** Column names; undefined when the index has an expression. */
  columns?: string[];
  partial: boolean;
  method: string;
  /** The constraint it backs (primary key, unique), if any. */
  constraint?: string;
  definition: string;
}

const quote = (id: string) => `"${id.replace(/"/g, '""')}"`;

/** Reads the catalog of `schema`: one query per kind of object, then one count per table. */
export async function readCatalog(db: Pick<Database, 'query'>, schema: string): Promise<Catalog> {
  const relations = await db.query<{
    oid: number;
    name: string;
    kind: string;
    parent: string | null;
    partition: boolean;
    root: number | null;
  }>(
    `select c.oid::int as oid, c.relname as name, c.relkind::text as kind, c.relispartition as partition,
            case when c.relispartition then pg_partition_root(c.oid)::int end as root,
            (select p.relname from pg_inherits i join pg_class p on p.oid = i.inhparent where i.inhrelid = c.oid limit 1) as parent
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relkind in ('r', 'p', 'v', 'm', 'f') and c.relname <> '_prisma_migrations'
      order by c.relname`,
    [schema],
  );
  const others: Catalog['others'] = [];
  const tableOids: number[] = [];
  for (const r of relations) {
    if (r.kind === 'v') others.push({ name: r.name, kind: 'view' });
    else if (r.kind === 'm') others.push({ name: r.name, kind: 'materialized view' });
    else if (r.kind === 'f') others.push({ name: r.name, kind: 'foreign table' });
    else if (r.parent) others.push({ name: r.name, kind: r.partition ? 'partition' : 'inheritance child', of: r.parent });
    else tableOids.push(r.oid);
  }
  const byOid = new Map(relations.map((r) => [r.oid, r]));
  // partitions that hold rows: foreign keys declared on them (not on their partitioned table) are the table's
  const leaves = relations.filter((r) => r.partition && r.root !== null && r.kind === 'r');

  const columns = await db.query<{
    table: number;
    name: string;
    not_null: boolean;
    formatted: string;
    typname: string;
    typtype: string;
    elem: string | null;
    elem_type: string | null;
    base: string | null;
    base_type: string | null;
    typmod: number;
    base_typmod: number;
    domain_checks: string[] | null;
    default: string | null;
    generated: string;
    identity: string;
  }>(
    `select a.attrelid::int as table, a.attname as name, a.attnotnull as not_null, format_type(a.atttypid, a.atttypmod) as formatted,
            t.typname, t.typtype::text as typtype, e.typname as elem, e.typtype::text as elem_type,
            b.typname as base, b.typtype::text as base_type, a.atttypmod as typmod, t.typtypmod as base_typmod,
            (select json_agg(pg_get_constraintdef(k.oid)) from pg_constraint k where k.contypid = t.oid) as domain_checks,
            pg_get_expr(d.adbin, d.adrelid) as default, a.attgenerated::text as generated, a.attidentity::text as identity
       from pg_attribute a
       join pg_type t on t.oid = a.atttypid
       left join pg_type e on e.oid = t.typelem and t.typcategory = 'A'
       left join pg_type b on b.oid = t.typbasetype and t.typtype = 'd'
       left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where a.attrelid = any($1::oid[]) and a.attnum > 0 and not a.attisdropped
      order by a.attrelid, a.attnum`,
    [tableOids],
  );

  const constraints = await db.query<{
    table: number;
    name: string;
    type: CatalogConstraint['type'];
    columns: string[] | null;
    definition: string;
    ref_table: string | null;
    ref_schema: string | null;
    ref_columns: string[] | null;
    on_update: string;
    on_delete: string;
  }>(
    `select k.conrelid::int as table, k.conname as name, k.contype::text as type,
            (select json_agg(a.attname order by o) from unnest(k.conkey) with ordinality u(n, o)
               join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n) as columns,
            pg_get_constraintdef(k.oid) as definition, f.relname as ref_table,
            (select nspname from pg_namespace where oid = f.relnamespace) as ref_schema,
            (select json_agg(a.attname order by o) from unnest(k.confkey) with ordinality u(n, o)
               join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.n) as ref_columns,
            k.confupdtype::text as on_update, k.confdeltype::text as on_delete
       from pg_constraint k left join pg_class f on f.oid = k.confrelid
      where (k.conrelid = any($1::oid[]) and k.contype in ('p', 'u', 'f', 'c', 'x'))
         or (k.conrelid = any($2::oid[]) and k.contype = 'f' and k.conparentid = 0)
      order by k.conrelid, k.conname`,
    [tableOids, leaves.map((r) => r.oid)],
  );

  const indexes = await db.query<{
    table: number;
    name: string;
    unique: boolean;
    primary: boolean;
    columns: (string | null)[] | null;
    partial: boolean;
    method: string;
    constraint: string | null;
    definition: string;
  }>(
    `select i.indrelid::int as table, c.relname as name, i.indisunique as unique, i.indisprimary as primary,
            (select json_agg(a.attname order by o) from unnest(i.indkey::int2[]) with ordinality u(n, o)
               left join pg_attribute a on a.attrelid = i.indrelid and a.attnum = u.n) as columns,
            i.indpred is not null as partial, m.amname as method,
            (select k.conname from pg_constraint k where k.conindid = i.indexrelid and k.conrelid = i.indrelid limit 1) as constraint,
            pg_get_indexdef(i.indexrelid) as definition
       from pg_index i join pg_class c on c.oid = i.indexrelid join pg_am m on m.oid = c.relam
      where i.indrelid = any($1::oid[])
      order by i.indrelid, c.relname`,
    [tableOids],
  );

  const triggers = await db.query<{ table: number; name: string }>(
    `select tgrelid::int as table, tgname as name from pg_trigger where tgrelid = any($1::oid[]) and not tgisinternal order by tgname`,
    [tableOids],
  );
  const rules = await db.query<{ table: string; name: string }>(
    `select tablename as table, rulename as name from pg_rules where schemaname = $1 and rulename <> '_RETURN' order by tablename, rulename`,
    [schema],
  );
  const enumRows = await db.query<{ name: string; label: string }>(
    `select t.typname as name, e.enumlabel as label from pg_enum e join pg_type t on t.oid = e.enumtypid order by t.typname, e.enumsortorder`,
  );
  const enums = new Map<string, string[]>();
  for (const e of enumRows) enums.set(e.name, [...(enums.get(e.name) ?? []), e.label]);

  const fkOf = (k: (typeof constraints)[number]) => ({
    name: k.name,
    type: k.type,
    columns: k.columns ?? [],
    definition: k.definition,
    // a table of another schema is not pulled: its name must not match one of this schema's
    refTable: k.ref_schema === schema ? k.ref_table! : `${k.ref_schema}.${k.ref_table}`,
    refColumns: k.ref_columns!,
    onUpdate: k.on_update,
    onDelete: k.on_delete,
  });
  const tables: CatalogTable[] = [];
  for (const oid of tableOids) {
    const rel = byOid.get(oid)!;
    const [{ n }] = (await db.query<{ n: number }>(`select count(*)::int as n from ${quote(schema)}.${quote(rel.name)}`)) as [
      { n: number },
    ];
    tables.push({
      name: rel.name,
      partitioned: rel.kind === 'p',
      rows: n,
      columns: columns
        .filter((c) => c.table === oid)
        .map((c) => {
          const domain = c.typtype === 'd';
          const typname = domain ? c.base! : (c.elem ?? c.typname);
          return {
            name: c.name,
            notNull: c.not_null,
            formatted: c.formatted,
            typname,
            typmod: domain ? c.base_typmod : c.typmod,
            array: c.elem !== null,
            ...(domain ? { domain: c.typname } : {}),
            domainChecks: c.domain_checks ?? [],
            isEnum: (domain ? c.base_type : (c.elem_type ?? c.typtype)) === 'e',
            ...(c.default !== null ? { default: c.default } : {}),
            ...(c.generated ? { generated: c.default ?? '' } : {}),
            identity: c.identity !== '',
          };
        }),
      constraints: [
        ...constraints
          .filter((k) => k.table === oid)
          .map((k) => (k.type === 'f' ? fkOf(k) : { name: k.name, type: k.type, columns: k.columns ?? [], definition: k.definition })),
        ...partitionKeys(
          rel.name,
          leaves.filter((r) => r.root === oid).length,
          constraints
            .filter((k) => leaves.some((r) => r.oid === k.table && r.root === oid))
            .map((k) => ({ ...fkOf(k), partition: byOid.get(k.table)!.name })),
          constraints.filter((k) => k.table === oid && k.type === 'f').map((k) => k.columns?.join(',')),
        ),
      ],
      indexes: indexes
        .filter((i) => i.table === oid)
        .map((i) => ({
          name: i.name,
          unique: i.unique,
          primary: i.primary,
          ...(i.columns && i.columns.every((c) => c !== null) ? { columns: i.columns as string[] } : {}),
          partial: i.partial,
          method: i.method,
          ...(i.constraint ? { constraint: i.constraint } : {}),
          definition: i.definition,
        })),
      triggers: triggers.filter((t) => t.table === oid).map((t) => t.name),
    });
  }
  return { schema, tables, enums, others, rules };
}

/**
 * Foreign keys declared on a partitioned table's partitions rather than on the table (as before
 * PostgreSQL 11, or on some partitions only): one per set of columns, lifted to the table when the
 * partitions that declare one agree on the referenced key.
 */
function partitionKeys(
  table: string,
  partitions: number,
  keys: (CatalogConstraint & { partition: string })[],
  own: (string | undefined)[],
): CatalogConstraint[] {
  const byColumns = new Map<string, (CatalogConstraint & { partition: string })[]>();
  for (const k of keys) {
    const columns = k.columns.join(',');
    if (!own.includes(columns)) byColumns.set(columns, [...(byColumns.get(columns) ?? []), k]); // unless the table declares it too
  }
  return [...byColumns.values()].map((found) => {
    const names = [...new Set(found.map((k) => k.partition))].sort();
    const agree = new Set(found.map((k) => JSON.stringify([k.refTable, k.refColumns]))).size === 1;
    const { partition: _, ...first } = found[0]!;
    return { ...first, name: `${table}_${first.columns.join('_')}_fkey`, partitions: { names, of: partitions, lifted: agree } };
  });
}
