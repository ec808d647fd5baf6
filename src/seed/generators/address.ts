import { allLocales } from '@faker-js/faker';
import { isDeepStrictEqual } from 'node:util';
import type { ResolvedColumn, ResolvedTable } from '../../model/resolve.ts';
import { ADDRESS_COUNTRIES, type AddressCountry, type AddressPart } from '../../model/schema.ts';
import { describeType } from '../../model/types.ts';
import { LONGEST, places, REGIONS, type Places } from '../places.ts';
import { rngAt, type Rng } from '../random.ts';
import type { CanonRow } from '../verify/canonical.ts';
import { coerce } from './coerce.ts';
import type { CheckContext, CompileContext, GeneratorKind, GeneratorOf, Produce, RowSource, VerifyContext } from './kind.ts';

type Address = GeneratorOf<'address'>;

const DEFAULT_GROUP = 'address';
/** The letters Canada Post uses in the last three characters of a postal code. */
const LDU_LETTERS = 'ABCEGHJKLMNPRSTVWXYZ';
const PHONE = /^\+1-(\d{3})-([2-9]\d\d)-\d{4}$/;
const CA_POSTAL = new RegExp(`^[A-Z]\\d[A-Z] \\d[${LDU_LETTERS}]\\d$`);
const NUMERIC_PARTS: Partial<Record<AddressPart, number>> = { latitude: 2, longitude: 3 }; // integer digits needed
/** Parts only reference data has. */
const REFERENCE_ONLY: AddressPart[] = ['area_code', 'latitude', 'longitude'];

/**
 * One part of a real address. The columns of a row with the same `group` hold one place, drawn
 * once per (table, row, group) from a stream they share: a ZIP code (US) or forward sortation
 * area (CA) with its city, state and coordinates, and an area code of that state. With `locale`,
 * the parts come from Faker in that locale instead (no reference data there).
 */
export const address: GeneratorKind<Address> = {
  check(g, at, cx) {
    checkOptions(g, at, cx);
    checkType(g, at, cx);
    // one draw per group: every column of it must ask for the same places
    const group = g.group ?? DEFAULT_GROUP;
    const first = cx.table.columns.find((c) => c.generate?.kind === 'address' && (c.generate.group ?? DEFAULT_GROUP) === group);
    if (first && first !== cx.column && first.generate?.kind === 'address' && !isDeepStrictEqual(options(first.generate), options(g)))
      cx.add(
        at,
        `"${cx.column.name}" and "${first.name}" hold parts of one address (group "${group}") but ask for different countries, weights, states or locale`,
        'give every column of the group the same options, or another "group"',
      );
  },
  cannotRepeat: () => false,
  rowDependencies: () => [],
  compile(g, cx) {
    return g.locale ? compileLocale(g, g.locale, cx) : compileReference(g, cx);
  },
  verify(g, cx) {
    if (g.locale) return;
    // the whole place is checked once, on the first column of the group
    const group = g.group ?? DEFAULT_GROUP;
    const columns = cx.table.columns.filter((c) => c.def.generate?.kind === 'address' && (c.def.generate.group ?? DEFAULT_GROUP) === group);
    if (columns[0] !== cx.column) return;
    verifyPlaces(columns, cx);
  },
};

function options(g: Address) {
  return { countries: g.countries ?? ['US'], weights: g.weights, states: g.states, locale: g.locale };
}

function checkOptions(g: Address, at: string, { add }: CheckContext) {
  if (g.locale !== undefined) {
    if (!Object.hasOwn(allLocales, g.locale) || g.locale === 'base') {
      add(
        `${at}/locale`,
        `unknown Faker locale "${g.locale}"`,
        'use a locale such as "de", "fr", "en_GB" or "pt_BR" (see fakerjs.dev/guide/localization)',
      );
      return;
    }
    for (const option of ['countries', 'weights', 'states'] as const)
      if (g[option])
        add(`${at}/${option}`, `"${option}" does not go with "locale": they choose reference data`, `remove "${option}" or "locale"`);
    const lacks = localeLacks(g.locale, g.part);
    if (lacks) add(`${at}/${lacks.at}`, lacks.message, lacks.hint);
    return;
  }
  const countries = g.countries ?? ['US'];
  if (new Set(countries).size !== countries.length) add(`${at}/countries`, 'a country appears twice');
  if (g.weights && g.weights.length !== countries.length)
    add(`${at}/weights`, `${g.weights.length} weights for ${countries.length} countries`, 'give one weight per country');
  else if (g.weights?.every((w) => w === 0)) add(`${at}/weights`, 'all weights are zero');
  g.states?.forEach((s, i) => {
    if (!countries.some((c) => inCountry(c, s)))
      add(
        `${at}/states/${i}`,
        `"${s}" is not a state or province of ${countries.join(' or ')}`,
        `use codes such as ${countries.map((c) => Object.keys(REGIONS[c]).slice(0, 4).join(', ')).join('; ')}`,
      );
  });
  if (g.states)
    countries.forEach((c, i) => {
      const weight = g.weights?.[i] ?? 1;
      if (weight > 0 && !g.states!.some((s) => inCountry(c, s)))
        add(
          `${at}/states`,
          `none of the states is in ${c}, which has weight ${weight}`,
          `add states of ${c}, remove ${c} from "countries" or give it weight 0`,
        );
    });
}

/** Why Faker's `locale` (a valid one) cannot give `part`, if it cannot. */
function localeLacks(locale: string, part: AddressPart): { at: 'part' | 'locale'; message: string; hint: string } | undefined {
  const definitions = allLocales[locale as keyof typeof allLocales];
  if (REFERENCE_ONLY.includes(part))
    return {
      at: 'part',
      message: `"${part}" needs reference data, which locale "${locale}" has not`,
      hint: `use "countries": [${ADDRESS_COUNTRIES.map((c) => `"${c}"`).join(', ')}], or another generator for this column`,
    };
  if (part === 'country' && !definitions.metadata?.country)
    return {
      at: 'locale',
      message: `locale "${locale}" names a language, not a country`,
      hint: 'use a locale with a country, e.g. "de_AT" or "fr_CA", or drop the country part',
    };
  // Faker falls back to English: right for en_US or en_AU, not for a French locale
  const chain = definitions.metadata?.language === 'en' ? [definitions, allLocales.en] : [definitions];
  if (part === 'state' && !chain.some((d) => (d.location as { state_abbr?: unknown } | undefined)?.state_abbr))
    return { at: 'part', message: `locale "${locale}" has no state abbreviations`, hint: 'use "state_name"' };
  return undefined;
}

/**
 * The address generator a column named like a part gets without a hint: the options of the
 * table's own "address" group when a column states them, so that every part agrees.
 */
export function defaultAddress(part: AddressPart, table: ResolvedTable): Address | undefined {
  const stated = table.columns
    .map((c) => c.def.generate)
    .find((g): g is Address => g?.kind === 'address' && (g.group ?? DEFAULT_GROUP) === DEFAULT_GROUP);
  if (stated?.locale && localeLacks(stated.locale, part)) return undefined;
  const { countries, weights, states, locale } = stated ?? {};
  return {
    kind: 'address',
    part,
    ...(countries && { countries }),
    ...(weights && { weights }),
    ...(states && { states }),
    ...(locale && { locale }),
  };
}

function inCountry(country: AddressCountry, state: string): boolean {
  return Object.hasOwn(REGIONS[country], state);
}

function checkType(g: Address, at: string, { column, type, add }: CheckContext) {
  const digits = NUMERIC_PARTS[g.part];
  if (digits !== undefined) {
    if (type.base === 'float') return;
    if (type.base === 'decimal' && type.precision - type.scale >= digits) return;
    add(
      at,
      `"${g.part}" needs a float column or a decimal with ${digits} digits before the point, and "${column.name}" is ${describeType(type)}`,
      `declare it as "float" or "decimal(${digits + 6},6)"`,
    );
    return;
  }
  if (g.part === 'area_code' && (type.base === 'int' || type.base === 'bigint')) return;
  if (type.base !== 'string' && type.base !== 'text') {
    add(
      at,
      `"address" part "${g.part}" needs a text column, and "${column.name}" is ${describeType(type)}`,
      'declare it as "varchar(n)" or "text"',
    );
    return;
  }
  if (type.base !== 'string' || type.length === undefined || g.locale) return;
  const countries = g.countries ?? ['US'];
  const longest = Math.max(...countries.map((c) => LONGEST[c][g.part as keyof (typeof LONGEST)['US']] ?? 0));
  if (longest > type.length)
    add(
      `${at}/part`,
      `"${g.part}" values are up to ${longest} characters long, and "${column.name}" is ${describeType(type)}`,
      `declare it as varchar(${longest}) or longer`,
    );
}

/** The places a generator draws from: per country, the place numbers (all of the country's without `states`). */
interface Pool {
  countries: AddressCountry[];
  pick: (u: number) => number;
  members: (Uint32Array | [number, number])[];
}

const pools = new Map<string, Pool>();

function poolOf(g: Address, p: Places): Pool {
  const countries = g.countries ?? ['US'];
  const id = JSON.stringify([countries, g.weights, g.states]);
  let pool = pools.get(id);
  if (pool) return pool;
  const weights = g.weights ?? countries.map(() => 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const cum: number[] = [];
  let acc = 0;
  for (const w of weights) cum.push((acc += w) / total);
  const members = countries.map((c): Uint32Array | [number, number] => {
    const [start, end] = p.ranges[c];
    if (!g.states) return [start, end];
    const wanted = new Set(g.states.flatMap((s) => (inCountry(c, s) ? [p.regionIndex.get(`${c}:${s}`)!] : [])));
    const list: number[] = [];
    for (let i = start; i < end; i++) if (wanted.has(p.region[i]!)) list.push(i);
    return Uint32Array.from(list);
  });
  pool = {
    countries,
    members,
    pick: (u) => {
      let i = 0;
      while (i < cum.length - 1 && u >= cum[i]!) i++;
      return i;
    },
  };
  pools.set(id, pool);
  return pool;
}

interface Drawn {
  place: number;
  area: string;
}

/** Per table and group, the draw its columns share; it keeps the last row's, which the next column of the row asks for. */
const drawers = new WeakMap<RowSource, Map<string, (row: number) => Drawn>>();

/** The row's place and an area code of its region, drawn from the group's stream: the same for every column of the group. */
function drawer(g: Address, cx: CompileContext, p: Places): (row: number) => Drawn {
  let byGroup = drawers.get(cx.rows);
  if (!byGroup) drawers.set(cx.rows, (byGroup = new Map()));
  const group = g.group ?? DEFAULT_GROUP;
  const id = JSON.stringify([group, options(g)]);
  let draw = byGroup.get(id);
  if (draw) return draw;
  const pool = poolOf(g, p);
  const key = cx.streamKey(`address:${group}`);
  let lastRow = -1;
  let last: Drawn = { place: 0, area: '' };
  draw = (row) => {
    if (row === lastRow) return last;
    const rng = rngAt(key, row);
    const members = pool.members[pool.pick(rng.next())]!;
    const k = members instanceof Uint32Array ? members.length : members[1] - members[0];
    const i = Math.floor(rng.next() * k);
    const place = members instanceof Uint32Array ? members[i]! : members[0] + i;
    const codes = p.regions[p.region[place]!]!.areaCodes;
    lastRow = row;
    return (last = { place, area: codes[Math.floor(rng.next() * codes.length)]! });
  };
  byGroup.set(id, draw);
  return draw;
}

function compileReference(g: Address, cx: CompileContext): Produce {
  const p = places();
  const draw = drawer(g, cx, p);
  const region = (place: number) => p.regions[p.region[place]!]!;
  const { column } = cx;
  const out = (v: string | number) => coerce(v, column);
  switch (g.part) {
    case 'city':
      return (row) => p.city[draw(row).place]!;
    case 'state':
      return (row) => region(draw(row).place).code;
    case 'state_name':
      return (row) => region(draw(row).place).name;
    case 'country':
      return (row) => region(draw(row).place).country;
    case 'postal_code':
      return (row, rng) => {
        const place = draw(row).place;
        return region(place).country === 'CA' ? `${p.postal[place]} ${localDeliveryUnit(rng)}` : p.postal[place]!;
      };
    case 'area_code':
      return (row) => out(draw(row).area);
    case 'phone':
      return (row, rng) => {
        // exchanges N11 are service codes (411, 911): never a subscriber's
        let exchange = 200 + rng.int(800);
        if (exchange % 100 === 11) exchange += 1;
        return `+1-${draw(row).area}-${exchange}-${String(rng.int(10000)).padStart(4, '0')}`;
      };
    case 'latitude':
      return (row) => out(p.latitude[draw(row).place]!);
    case 'longitude':
      return (row) => out(p.longitude[draw(row).place]!);
    case 'street': {
      const fakers = { US: cx.fakerFor('en_US'), CA: cx.fakerFor('en_CA') };
      // a common street name ("Oak Street", "2nd Avenue"), not a person's ("Gleichner Parkway")
      return (row) => {
        const f = fakers[region(draw(row).place).country];
        return `${f.location.buildingNumber()} ${f.helpers.arrayElement(f.rawDefinitions.location!.street_name!)}`;
      };
    }
  }
}

/** The last three characters of a Canadian postal code (the dataset has the first three). */
function localDeliveryUnit(rng: Rng): string {
  return `${rng.int(10)}${LDU_LETTERS[rng.int(LDU_LETTERS.length)]}${rng.int(10)}`;
}

function compileLocale(g: Address, locale: string, cx: CompileContext): Produce {
  const f = cx.fakerFor(locale);
  const { column } = cx;
  switch (g.part) {
    case 'street':
      return () => f.location.streetAddress();
    case 'city':
      return () => f.location.city();
    case 'state':
      return () => f.location.state({ abbreviated: true });
    case 'state_name':
      return () => f.location.state();
    case 'postal_code':
      return () => f.location.zipCode();
    case 'phone':
      return () => f.phone.number();
    case 'country': {
      const country = allLocales[locale as keyof typeof allLocales].metadata!.country!;
      return () => country;
    }
    default:
      throw new Error(`address part ${g.part} has no Faker form (${column.table}.${column.name}); the model check rejects it`);
  }
}

/**
 * Re-checks every row's place against the reference data: the postal code (or the city and
 * state) names a place, and every other part of the group agrees with it; the area code (and the
 * phone number's) belongs to the place's state or province.
 */
function verifyPlaces(columns: ResolvedColumn[], { rows, where, fail }: VerifyContext) {
  const p = places();
  const part = (name: AddressPart) => columns.find((c) => (c.def.generate as Address).part === name)?.index;
  const at = Object.fromEntries(
    (['city', 'state', 'state_name', 'postal_code', 'country', 'area_code', 'phone', 'latitude', 'longitude'] as const).map((n) => [
      n,
      part(n),
    ]),
  ) as Record<Exclude<AddressPart, 'street'>, number | undefined>;
  const index = placeIndex(p);
  const cell = (r: CanonRow, i: number | undefined) => (i === undefined ? undefined : r[i]);
  for (const r of rows) {
    const postal = cell(r, at.postal_code);
    const city = cell(r, at.city);
    const state = cell(r, at.state);
    const name = cell(r, at.state_name);
    // the places the row can be, by its most telling part; then every part must agree
    const found =
      postal != null
        ? (index.get(`postal:${CA_POSTAL.test(postal) ? postal.slice(0, 3) : postal}`) ?? [])
        : city != null
          ? (index.get(`city:${city}`) ?? [])
          : state != null || name != null
            ? (index.get(`region:${state ?? name}`) ?? [])
            : allPlaces(p);
    const fits = (i: number) => {
      const region = p.regions[p.region[i]!]!;
      return (
        (postal == null || postal === p.postal[i] || (region.country === 'CA' && postal.slice(0, 3) === p.postal[i])) &&
        (city == null || city === p.city[i]) &&
        (state == null || state === region.code) &&
        (name == null || name === region.name) &&
        same(cell(r, at.country), region.country) &&
        near(cell(r, at.latitude), p.latitude[i]!, columns, at.latitude) &&
        near(cell(r, at.longitude), p.longitude[i]!, columns, at.longitude)
      );
    };
    const codesOf = (i: number) => p.regions[p.region[i]!]!.areaCodes;
    const area = cell(r, at.area_code);
    const phone = cell(r, at.phone);
    const phoneArea = phone == null ? undefined : PHONE.exec(phone)?.[1];
    // a group without a telling part (a phone alone) can be anywhere its area code is
    const dialled = (i: number) =>
      (area == null || codesOf(i).includes(area)) && (phoneArea === undefined || codesOf(i).includes(phoneArea));
    const place = found.find((i) => fits(i) && dialled(i)) ?? found.find(fits);
    const described = columns
      .filter((c) => r[c.index] != null && (c.def.generate as Address).part !== 'street')
      .map((c) => `${c.name} ${r[c.index]}`)
      .join(', ');
    if (place === undefined) {
      fail('rule address', where(r), `no real place has ${described}`);
      continue;
    }
    const codes = codesOf(place);
    if (area != null && !codes.includes(area))
      fail('rule address', where(r), `area code ${area} is not one of ${p.regions[p.region[place]!]!.name}'s (${codes.join(', ')})`);
    if (phone != null && (phoneArea === undefined || !codes.includes(phoneArea)))
      fail(
        'rule address',
        where(r),
        `phone ${phone} is not a number of ${p.regions[p.region[place]!]!.name} (area codes ${codes.join(', ')})`,
      );
    else if (phone != null && area != null && phoneArea !== area)
      fail('rule address', where(r), `phone ${phone} has another area code than ${area}`);
  }
}

function same(value: string | null | undefined, expected: string): boolean {
  return value == null || value === expected;
}

/** Coordinates as stored: a float exactly, a decimal rounded to its scale. */
function near(value: string | null | undefined, expected: number, columns: ResolvedColumn[], index: number | undefined): boolean {
  if (value == null || index === undefined) return true;
  const type = columns.find((c) => c.index === index)!.type;
  const tolerance = type.base === 'decimal' ? 0.5 * 10 ** -type.scale + 1e-9 : 1e-9;
  return Math.abs(Number(value) - expected) <= tolerance;
}

let index: Map<string, number[]> | undefined;

/** Places by postal code, city, state code and state name. */
function placeIndex(p: Places): Map<string, number[]> {
  if (index) return index;
  const m = new Map<string, number[]>();
  const add = (k: string, i: number) => {
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  };
  for (let i = 0; i < p.postal.length; i++) {
    const region = p.regions[p.region[i]!]!;
    add(`postal:${p.postal[i]}`, i);
    add(`city:${p.city[i]}`, i);
    add(`region:${region.code}`, i);
    add(`region:${region.name}`, i);
  }
  return (index = m);
}

function allPlaces(p: Places): number[] {
  return [...p.postal.keys()];
}
