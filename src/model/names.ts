import { fieldName, relationsOf } from '../../generators/prisma-schema.ts';
import { camelCase, enumTypeOf, modelName } from '../../generators/naming.ts';
import type { Problem } from '../errors.ts';
import type { ResolvedModel } from './resolve.ts';

/** A name ecom derives from the model, where it comes from, and what to rename to change it. */
interface Derived {
  name: string;
  pointer: string;
  from: string;
  fix: string;
}

/** Names Prisma gives its scalar types, and the client generator's own: no model or enum may take them. */
const PRISMA_RESERVED = ['String', 'Boolean', 'Int', 'BigInt', 'Float', 'Decimal', 'DateTime', 'Json', 'Bytes', 'Prisma', 'PrismaClient'];

/** Words a TypeScript identifier cannot be: the seeders export one constant per table, named after it. */
const TS_RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if ' +
    'implements import in instanceof interface let new null package private protected public return static super switch this ' +
    'throw true try typeof var void while with yield'
  ).split(' '),
);

/**
 * The names ecom derives from table and column names must not collide: Prisma models and enums
 * (singular PascalCase: "orders" and "order" both give model Order, "order_status" gives the enum
 * of orders.status), the fields of each model (camelCase columns and relation fields), and the
 * seeders' identifiers. Runs on a model that passed every other check (it needs the derived plan).
 */
export function checkNames(model: ResolvedModel): Problem[] {
  const problems: Problem[] = [];
  const unique = (what: string, names: Derived[], reserved: (name: string) => boolean) => {
    const first = new Map<string, Derived>();
    for (const d of names) {
      if (reserved(d.name)) {
        problems.push({ pointer: d.pointer, message: `${d.from} becomes ${what} "${d.name}", a reserved name`, hint: d.fix });
        continue;
      }
      const taken = first.get(d.name);
      if (!taken) first.set(d.name, d);
      else
        problems.push({
          pointer: d.pointer,
          message: `${d.from} and ${taken.from} both become ${what} "${d.name}"`,
          hint: `${d.fix}, or ${taken.fix} (${taken.pointer})`,
        });
    }
  };
  const pgTables = model.tables.filter((t) => t.inPostgres).sort((a, b) => a.index - b.index);

  const types: Derived[] = [];
  const enumTypes: Derived[] = [];
  const shared = new Set<string>(); // a shared enum type is declared once, by its first column
  for (const t of pgTables) {
    types.push({ name: modelName(t.name), pointer: `/tables/${t.index}/name`, from: `table "${t.name}"`, fix: `rename table "${t.name}"` });
    for (const c of t.columns.filter((c) => c.type.base === 'enum')) {
      if (c.def.enum && shared.has(c.def.enum)) continue;
      if (c.def.enum) shared.add(c.def.enum);
      const { prisma, db } = enumTypeOf(t.name, c);
      const [pointer, from, fix] = c.def.enum
        ? [`/tables/${t.index}/columns/${c.index}/enum`, `enum type "${db}"`, `rename enum "${db}"`]
        : [`/tables/${t.index}/columns/${c.index}/name`, `enum column "${t.name}.${c.name}"`, `rename column "${t.name}.${c.name}"`];
      types.push({ name: prisma, pointer, from, fix });
      enumTypes.push({ name: db, pointer, from, fix });
    }
  }
  unique('the Prisma model or enum', types, (n) => PRISMA_RESERVED.includes(n));
  unique('the PostgreSQL enum type', enumTypes, () => false);

  const relations = relationsOf(model);
  for (const t of pgTables) {
    const fields: Derived[] = t.columns.map((c) => ({
      name: fieldName(c.name),
      pointer: `/tables/${t.index}/columns/${c.index}/name`,
      from: `column "${t.name}.${c.name}"`,
      fix: `rename column "${t.name}.${c.name}"`,
    }));
    for (const r of relations.filter((r) => r.child === t))
      fields.push({
        name: r.field,
        pointer: `/tables/${t.index}/columns/${r.fk.index}/name`,
        from: `the relation of foreign key "${t.name}.${r.fk.name}"`,
        fix: `rename column "${t.name}.${r.fk.name}"`,
      });
    for (const r of relations.filter((r) => r.parent === t))
      fields.push({
        name: r.backField,
        pointer: `/tables/${r.child.index}/name`,
        from: `the back-relation of foreign key "${r.child.name}.${r.fk.name}"`,
        fix: `rename table "${r.child.name}"`,
      });
    unique(`a field of model ${modelName(t.name)}`, fields, () => false);
  }

  unique(
    'the seeder identifier',
    [...model.tables]
      .sort((a, b) => a.index - b.index)
      .map((t) => ({
        name: camelCase(t.name),
        pointer: `/tables/${t.index}/name`,
        from: `table "${t.name}"`,
        fix: `rename table "${t.name}"`,
      })),
    (n) => TS_RESERVED.has(n),
  );
  return problems;
}
