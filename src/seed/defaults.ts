import type { ResolvedColumn, ResolvedTable } from '../model/resolve.ts';
import { uniqueAlone, uniqueKeys } from '../model/keys.ts';
import type { AddressPart, Generator } from '../model/schema.ts';
import { elementType, isInteger, isText } from '../model/types.ts';
import { defaultAddress } from './generators/address.ts';
import { cannotRepeat } from './generators/index.ts';

/** Faker methods for common column names, so a model without hints still looks real. */
const BY_NAME: [RegExp, string][] = [
  [/^first_?name$/, 'person.firstName'],
  [/^last_?name$|^surname$/, 'person.lastName'],
  [/^(full_?)?name$|^author$/, 'person.fullName'],
  // where a real address part does not fit (a unique column, an enum): Faker's
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

/** Parts of a real address for common column names: the columns of a table hold one place (see address.ts). */
const ADDRESS_BY_NAME: [RegExp, AddressPart][] = [
  [/phone/, 'phone'],
  [/^(street_)?address(_line_?1)?$|^street$/, 'street'],
  [/^(city|town)$/, 'city'],
  [/^(state|province)(_code)?$/, 'state'],
  [/^(zip|postal)_?code$|^zip$|^postcode$/, 'postal_code'],
  [/^country(_code)?$/, 'country'],
  [/^lat(itude)?$/, 'latitude'],
  [/^(lng|lon|long|longitude)$/, 'longitude'],
];

/** The generator ecom uses for a column whose model gives no `generate` hint. */
export function defaultGenerator(col: ResolvedColumn, table: ResolvedTable, count: number): Generator {
  const t = col.type;
  if (col.ref) {
    if (col.ref.table === table.name && col.nullable) return { kind: 'tree', roots: Math.max(1, Math.ceil(count / 5)) };
    const per = distinctPerDefault(col, table, count);
    return per ? { kind: 'ref', distinctPer: per } : { kind: 'ref' };
  }
  if (t.array) return { kind: 'array', of: elementDefault(col, table, count) };
  if (col.def.default === 'autoincrement' || (isInteger(t) && uniqueAlone(table, col))) return { kind: 'sequence' };
  const native = col.def.native && nativeDefault(col.def.native);
  if (native) return native;
  const part = ADDRESS_BY_NAME.find(([re]) => re.test(col.name))?.[1];
  const coordinate = part === 'latitude' || part === 'longitude';
  const fits = coordinate
    ? t.base === 'float' || (t.base === 'decimal' && t.precision - t.scale >= (part === 'latitude' ? 2 : 3))
    : t.base === 'string' || t.base === 'text';
  const place = part && fits && !col.unique ? defaultAddress(part, table) : undefined;
  if (place) return place;
  switch (t.base) {
    case 'uuid':
      return { kind: 'uuid' };
    case 'enum':
      return { kind: 'choice', values: col.def.values! };
    case 'boolean':
      return { kind: 'choice', values: [true, false] };
    case 'int':
    case 'smallint':
    case 'bigint':
      return { kind: 'range', min: 1, max: 1000 };
    case 'decimal':
      return { kind: 'range', min: 1, max: Math.min(1000, 10 ** (t.precision - t.scale) - 1) };
    case 'float':
    case 'real':
      return { kind: 'range', min: 0, max: 1000 };
    case 'date':
    case 'datetime':
    case 'timestamp':
    case 'timestamptz':
      return { kind: 'range', min: '2023-01-01T00:00:00Z', max: '2025-12-31T00:00:00Z' };
    case 'time':
    case 'timetz':
      return { kind: 'range', min: '00:00:00', max: '23:59:59' };
    case 'bytea':
      return { kind: 'bytes' };
    case 'json':
    case 'jsonb':
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

/** An array's elements: a word for text (a paragraph would be a lot to repeat), else the element type's default. */
function elementDefault(col: ResolvedColumn, table: ResolvedTable, count: number): Generator {
  const element = { ...col, type: elementType(col.type), unique: false };
  return isText(element.type) && !col.def.native ? { kind: 'faker', method: 'lorem.word' } : defaultGenerator(element, table, count);
}

/** Values a native type accepts (the base type's default would not do): addresses, XML, bit strings. */
function nativeDefault(native: string): Generator | undefined {
  const [, name, length] = /^([A-Za-z]+)(?:\((\d+)\))?$/.exec(native)!;
  switch (name) {
    case 'Inet':
      return { kind: 'faker', method: 'internet.ipv4' };
    case 'Xml':
      return { kind: 'template', template: '<note>{{lorem.words}}</note>' };
    case 'Bit':
    case 'VarBit':
      return { kind: 'template', template: '{0|1}'.repeat(Number(length ?? (name === 'Bit' ? 1 : 8))) };
    default:
      return undefined;
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
