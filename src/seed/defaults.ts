import type { ResolvedColumn, ResolvedTable } from '../model/resolve.ts';
import { uniqueAlone, uniqueKeys } from '../model/keys.ts';
import type { Generator } from '../model/schema.ts';
import { cannotRepeat } from './generators/index.ts';

/** Faker methods for common column names, so a model without hints still looks real. */
const BY_NAME: [RegExp, string][] = [
  [/^first_?name$/, 'person.firstName'],
  [/^last_?name$|^surname$/, 'person.lastName'],
  [/^(full_?)?name$|^author$/, 'person.fullName'],
  [/phone/, 'phone.number'],
  [/^(street_)?address(_line1)?$|^street$/, 'location.streetAddress'],
  [/^city$/, 'location.city'],
  [/^country$/, 'location.country'],
  [/^(zip|postal)_?code$/, 'location.zipCode'],
  [/^state$/, 'location.state'],
  [/^(company|organization)(_name)?$/, 'company.name'],
  [/url|website/, 'internet.url'],
  [/^user_?name$|^login$/, 'internet.username'],
  [/^title$|^subject$|^headline$/, 'lorem.sentence'],
  [/description|^body$|^content$|^bio$|^text$|^summary$|^comment$/, 'lorem.paragraph'],
  [/^color$|^colour$/, 'color.human'],
  [/^job|position/, 'person.jobTitle'],
];

/** The generator ecom uses for a column whose model gives no `generate` hint. */
export function defaultGenerator(col: ResolvedColumn, table: ResolvedTable, count: number): Generator {
  const t = col.type;
  if (col.ref) {
    if (col.ref.table === table.name && col.nullable) return { kind: 'tree', roots: Math.max(1, Math.ceil(count / 5)) };
    const per = distinctPerDefault(col, table, count);
    return per ? { kind: 'ref', distinctPer: per } : { kind: 'ref' };
  }
  if (col.def.default === 'autoincrement' || ((t.base === 'int' || t.base === 'bigint') && uniqueAlone(table, col)))
    return { kind: 'sequence' };
  switch (t.base) {
    case 'uuid':
      return { kind: 'uuid' };
    case 'enum':
      return { kind: 'choice', values: col.def.values! };
    case 'boolean':
      return { kind: 'choice', values: [true, false] };
    case 'int':
    case 'bigint':
      return { kind: 'range', min: 1, max: 1000 };
    case 'decimal':
      return { kind: 'range', min: 1, max: Math.min(1000, 10 ** (t.precision - t.scale) - 1) };
    case 'float':
      return { kind: 'range', min: 0, max: 1000 };
    case 'date':
    case 'datetime':
      return { kind: 'range', min: '2023-01-01T00:00:00Z', max: '2025-12-31T00:00:00Z' };
    case 'json':
      return { kind: 'template', template: '{{lorem.word}}' };
    default: {
      if (col.name === 'email' || col.name.endsWith('_email')) {
        const names = table.columns.filter((c) => /first_?name|last_?name/.test(c.name)).map((c) => c.name);
        return { kind: 'email', from: names };
      }
      const method = BY_NAME.find(([re]) => re.test(col.name))?.[1] ?? (t.base === 'text' ? 'lorem.paragraph' : 'lorem.words');
      return uniqueAlone(table, col) ? { kind: 'template', template: `{{${method}}} {row}` } : { kind: 'faker', method };
    }
  }
}

/**
 * A key of several foreign keys (a join table's primary key) that nothing else makes unique: its
 * first foreign key without a generator, after the key's first, takes distinct parents per parent
 * of the key's first foreign key (which then numbers its rows as a partition).
 */
function distinctPerDefault(col: ResolvedColumn, table: ResolvedTable, count: number): string | undefined {
  for (const key of uniqueKeys(table)) {
    const fks = key.columns.filter((c) => c.ref);
    if (!key.columns.includes(col) || fks.length < 2) continue;
    const distinct = (c: ResolvedColumn) => {
      const g = c.def.generate;
      if (!c.ref) return cannotRepeat(g ?? defaultGenerator(c, table, count));
      return uniqueAlone(table, c) || (g?.kind === 'ref' && fks.some((a) => a.name === g.distinctPer));
    };
    if (key.columns.some(distinct)) continue;
    const [first, ...rest] = fks;
    if (rest.find((c) => !c.def.generate) === col) return first!.name;
  }
  return undefined;
}
