import type { AddressPart, Generator } from '../schema.ts';
import { isTemporal, isTimeOfDay, parseColumnType, type ColumnType } from '../types.ts';
import { LONGEST } from '../../seed/places.ts';

/** What the rules know of a column when they pick its generator. */
export interface ColumnFacts {
  table: string;
  name: string;
  /** The model type ("varchar(40)", "decimal(5,2)"…). */
  type: string;
  nullable: boolean;
  /** Unique by itself (primary key of one column, unique constraint or index). */
  unique: boolean;
  autoincrement: boolean;
  /** A Prisma native type (Inet, Xml…): ecom's default generator gives values it accepts. */
  native?: string;
  /** Labels of a PostgreSQL enum, even when the model keeps the column as text. */
  labels?: string[];
  /** The table's rows (for tree roots). */
  count: number;
  /** The other columns of the table. */
  siblings: string[];
  foreignKey?: {
    table: string;
    self: boolean;
    /** Unique by itself: each parent once. */
    oneToOne: boolean;
    /** Another foreign key of a unique key with this one, whose parents this one's are distinct per. */
    distinctPer?: string;
    /** Another key is distinct per this one's parents: its children must stay contiguous (no spread). */
    numbersSiblings?: boolean;
  };
  /** Timestamps of parent rows this column can follow (created_at of the order a line belongs to). */
  parentTimes: { via: string; column: string }[];
  /** Timestamp columns of the same row (an end follows its start: shipped_date after order_date). */
  siblingTimes?: string[];
}

type Kind = 'int' | 'decimal' | 'float' | 'text' | 'time' | 'clock' | 'boolean' | 'uuid' | 'bytes' | 'other';

/** One row of the table: columns it fits (by name, by type, or both) and the generator it gives them. */
export interface Rule {
  /** What the rule is for, as tests and the report name it. */
  label: string;
  name?: RegExp;
  kinds?: Kind[];
  when?: (f: ColumnFacts, t: ColumnType) => boolean;
  generate: (f: ColumnFacts, t: ColumnType) => Generator | undefined;
}

const PERSON_TABLE =
  /^(customer|client|user|member|employee|staff|person|people|actor|author|contact|patient|student|teacher|player|driver|owner|account)s?$/;
const CUSTOMER_KEY = /^(customer|client|user|member|buyer|account|author|owner|patient|student|player)(_id)?$/;
const EVENT_TIME =
  /(^|_)(created|updated|modified|last_update|date|time|timestamp|at|on|since|rental_date|payment_date)$|_(at|on|date|time)$/;
/** Timestamps with nothing to follow: the years before the model's default "now". */
export const PAST = { min: '2023-01-01T00:00:00Z', max: '2025-12-31T00:00:00Z' };

const faker = (method: string, args?: unknown[]): Generator => ({ kind: 'faker', method, ...(args ? { args } : {}) });
/** A text generator that cannot repeat: the row number joined to the value. */
const distinct = (method: string): Generator => ({ kind: 'template', template: `{{${method}}} {row}` });
const text = (method: string, args?: unknown[]) => (f: ColumnFacts) => (f.unique ? distinct(method) : faker(method, args));

/** Tables of stories (a title reads like a book's) and of goods (like a product's). */
const STORY_TABLE = /(film|movie|book|novel|story|stories|show|series|episode|game|play|podcast)s?$/;
const GOODS_TABLE = /(product|item|good|merchandise|offer|listing)s?$/;
/** Sentences of faker's English words (the engine's English Faker: no data of the base locale, such as hacker.*): grammatical, every one different. */
const PLOT =
  'The {{word.adjective}} tale of the {{word.noun}} and the {{word.noun}} who must {{word.verb}} the {{word.noun}} in {{location.city}}.';
const STATEMENT = 'The {{word.noun}} will {{word.verb}} the {{word.adjective}} {{word.noun}}.';
const PITCH = '{{company.catchPhrase}} that helps the {{word.noun}} {{word.verb}} the {{word.adjective}} {{word.noun}}.';

/** A template generator, cannot repeat where the column is unique. */
const sentence =
  (template: string) =>
  (f: ColumnFacts): Generator => ({ kind: 'template', template: f.unique ? `${template} {row}` : template });

/** English text that reads like the table's things: a title, a description, a longer body. */
const english = {
  title: (f: ColumnFacts) =>
    text(STORY_TABLE.test(f.table) ? 'book.title' : GOODS_TABLE.test(f.table) ? 'commerce.productName' : 'company.catchPhrase')(f),
  description: (f: ColumnFacts) =>
    STORY_TABLE.test(f.table) ? sentence(PLOT)(f) : GOODS_TABLE.test(f.table) ? text('commerce.productDescription')(f) : sentence(PITCH)(f),
  body: sentence(`${STATEMENT} ${PITCH}`),
};

/** Largest whole number a decimal(p,s) column holds. */
function ceiling(t: ColumnType, fallback: number): number {
  return t.base === 'decimal' ? Math.min(fallback, 10 ** (t.precision - t.scale) - 1) : fallback;
}

/** Columns of one place share a group named after their prefix (billing_city, billing_state → "billing"). */
function address(part: AddressPart, suffix: RegExp) {
  return (f: ColumnFacts, t: ColumnType): Generator | undefined => {
    if (f.unique) return undefined;
    const longest = LONGEST.US[part as keyof (typeof LONGEST)['US']] ?? 0;
    if (t.base === 'string' && t.length !== undefined && t.length < longest) return undefined;
    const prefix = f.name.replace(suffix, '').replace(/_$/, '');
    return { kind: 'address', part, ...(prefix && prefix !== f.name && /^[a-z][a-z0-9_]*$/.test(prefix) ? { group: prefix } : {}) };
  };
}

const PLACE_PART = /(city|town|state|province|region|zip|zip_?code|postal_?code|postcode|country|address|street)$/;

/** A phone of the place its row lives at (its area code): only where the row has a place (city, state…), in its group or the default one. */
function phone(f: ColumnFacts, t: ColumnType): Generator | undefined {
  const own = address('phone', /(phone|fax|mobile|cell)(_number)?$/)(f, t);
  if (!own || own.kind !== 'address') return undefined;
  const group = own.group;
  if (group && f.siblings.some((s) => s.startsWith(`${group}_`) && PLACE_PART.test(s))) return own;
  if (f.siblings.some((s) => new RegExp(`^${PLACE_PART.source}`).test(s))) return { kind: 'address', part: 'phone' };
  return undefined;
}

/** The start of the row's span: a sibling timestamp like order_date, rental_date, start_at, created_at. */
function startOf(f: ColumnFacts): string | undefined {
  return f.siblingTimes?.find((s) =>
    /(order|rental|start|begin|created?|invoice|purchase|hire|opened|issued?)(_?(date|at|on|time))?$/.test(s),
  );
}

const UPDATED = /(^|_)(last_update[ds]?|updated|modified|last_modified|changed)(_?(date|at|on|time))?$/;

/** The row's creation, which its last update follows: created_at, create_date, else a start like rental_date (never a birth or a deadline). */
function createdOf(f: ColumnFacts): string | undefined {
  const candidates = (f.siblingTimes ?? []).filter((s) => !UPDATED.test(s) && !/birth|born|dob|expir|due|deadline|end|required/.test(s));
  return (
    candidates.find((s) => /(^|_)(created?|creation|inserted|registered|joined|signup)(_?(date|at|on|time))?$/.test(s)) ??
    (startOf(f) !== undefined && candidates.includes(startOf(f)!) ? startOf(f) : undefined)
  );
}

function kindOf(t: ColumnType): Kind {
  const base = t.base as string;
  if (['int', 'bigint', 'smallint'].includes(base)) return 'int';
  if (base === 'decimal') return 'decimal';
  if (['float', 'real'].includes(base)) return 'float';
  if (['string', 'text', 'char'].includes(base)) return 'text';
  if (isTimeOfDay(t)) return 'clock';
  if (isTemporal(t)) return 'time';
  if (base === 'bytea') return 'bytes';
  if (base === 'boolean') return 'boolean';
  if (base === 'uuid') return 'uuid';
  return 'other';
}

/**
 * The rules, first match wins: keys first, then names (most specific first), then types. A rule
 * that returns undefined passes the column on to the next.
 */
export const RULES: Rule[] = [
  // keys
  {
    label: 'self-reference: a tree',
    when: (f) => f.foreignKey?.self === true && f.nullable,
    generate: (f) => ({ kind: 'tree', roots: Math.max(1, Math.ceil(f.count / 5)) }),
  },
  {
    label: 'foreign key of a join table: distinct parents per parent of the other key',
    when: (f) => f.foreignKey?.distinctPer !== undefined,
    generate: (f) => ({ kind: 'ref', distinctPer: f.foreignKey!.distinctPer! }),
  },
  { label: 'one-to-one foreign key', when: (f) => f.foreignKey?.oneToOne === true, generate: () => ({ kind: 'ref' }) },
  {
    label: 'foreign key to a customer: repeat customers',
    name: CUSTOMER_KEY,
    when: (f) => f.foreignKey !== undefined && !f.foreignKey.numbersSiblings,
    generate: (f) => ({ kind: 'ref', spread: 'skewed', ...(f.nullable ? { nullRate: 0.1 } : {}) }),
  },
  {
    label: 'foreign key',
    when: (f) => f.foreignKey !== undefined,
    generate: (f) => ({ kind: 'ref', ...(f.nullable ? { nullRate: 0.1 } : {}) }),
  },
  { label: 'uuid', kinds: ['uuid'], generate: () => ({ kind: 'uuid' }) },
  {
    label: 'serial or unique integer: a sequence',
    kinds: ['int'],
    when: (f) => f.autoincrement || f.unique,
    generate: () => ({ kind: 'sequence' }),
  },
  {
    label: 'enum labels',
    when: (f) => f.labels !== undefined && f.labels.length > 0,
    generate: (f) => (f.unique ? { kind: 'list', values: f.labels! } : { kind: 'choice', values: f.labels! }),
  },
  // people
  {
    label: 'email',
    name: /(^|_)e?mail(_address)?$/,
    kinds: ['text'],
    generate: (f) => {
      const from = f.siblings.filter((s) => /^(first|last)_?name$/.test(s));
      return from.length > 0
        ? { kind: 'email', from }
        : f.unique
          ? { kind: 'template', template: 'user{row}@example.com' }
          : faker('internet.email');
    },
  },
  { label: 'first name', name: /^(first|given)_?name$/, kinds: ['text'], generate: text('person.firstName') },
  { label: 'last name', name: /^(last|family|sur)_?name$|^surname$/, kinds: ['text'], generate: text('person.lastName') },
  { label: 'middle name', name: /^middle_?name$/, kinds: ['text'], generate: text('person.middleName') },
  { label: 'user name', name: /^(user_?name|login|handle|nickname)$/, kinds: ['text'], generate: text('internet.username') },
  { label: 'password', name: /^password(_hash)?$|^pass(wd)?$/, kinds: ['text'], generate: text('internet.password') },
  {
    label: 'contact name',
    name: /^(contact|full|display|person|ship|bill|billing|recipient|customer)_?name$|^(author|composer|writer|director)$/,
    kinds: ['text'],
    generate: text('person.fullName'),
  },
  {
    label: 'job title',
    name: /^(contact_)?title$|^job(_title)?$|^position$/,
    kinds: ['text'],
    when: (f) => PERSON_TABLE.test(f.table) || f.name.startsWith('contact'),
    generate: text('person.jobTitle'),
  },
  { label: 'title of courtesy', name: /^(title_of_courtesy|salutation|prefix)$/, kinds: ['text'], generate: text('person.prefix') },
  {
    label: 'name of a person',
    name: /^name$/,
    kinds: ['text'],
    when: (f) => PERSON_TABLE.test(f.table),
    generate: text('person.fullName'),
  },
  { label: 'phone extension', name: /^(extension|ext)$/, kinds: ['text'], generate: () => ({ kind: 'pattern', pattern: '###' }) },
  {
    label: 'company',
    name: /^(company|organi[sz]ation|supplier|vendor|employer)(_name)?$/,
    kinds: ['text'],
    generate: text('company.name'),
  },
  // things, by the table they name
  { label: 'artist', name: /^name$/, kinds: ['text'], when: (f) => /^artists?$/.test(f.table), generate: text('music.artist') },
  { label: 'album', name: /^(title|name)$/, kinds: ['text'], when: (f) => /^albums?$/.test(f.table), generate: text('music.album') },
  {
    label: 'song',
    name: /^(title|name)$/,
    kinds: ['text'],
    when: (f) => /^(tracks?|songs?)$/.test(f.table),
    generate: text('music.songName'),
  },
  { label: 'genre', name: /^(name|genre)$/, kinds: ['text'], when: (f) => /genres?$/.test(f.table), generate: text('music.genre') },
  {
    label: 'category',
    name: /^(category_)?name$/,
    kinds: ['text'],
    when: (f) => /categor(y|ies)$/.test(f.table),
    generate: text('commerce.department'),
  },
  {
    label: 'product',
    name: /^(product_)?name$/,
    kinds: ['text'],
    when: (f) => /products?$/.test(f.table),
    generate: text('commerce.productName'),
  },
  {
    label: 'language',
    name: /^(name|language)$/,
    kinds: ['text'],
    when: (f) => /languages?$/.test(f.table),
    generate: text('location.language'),
  },
  // places
  {
    label: 'phone',
    name: /(^|_)(phone|fax|mobile|cell)(_number)?$/,
    kinds: ['text'],
    generate: (f, t) => phone(f, t) ?? text('phone.number')(f),
  },
  {
    label: 'country',
    name: /(^|_)country(_name)?$/,
    kinds: ['text'],
    when: (f) => !/^countr(y|ies)$/.test(f.table),
    generate: (f, t) => address('country', /country(_name)?$/)(f, t) ?? text('location.country')(f),
  },
  {
    label: 'country name in a country table',
    name: /^(country|name)$/,
    kinds: ['text'],
    when: (f) => /^countr(y|ies)$/.test(f.table),
    generate: text('location.country'),
  },
  {
    label: 'city',
    name: /(^|_)(city|town)$/,
    kinds: ['text'],
    generate: (f, t) => (/^cit(y|ies)$/.test(f.table) ? undefined : address('city', /(city|town)$/)(f, t)) ?? text('location.city')(f),
  },
  {
    label: 'state or region',
    name: /(^|_)(state|province|region)$/,
    kinds: ['text'],
    when: (f) => !/^(regions?|us_states?|states?)$/.test(f.table),
    generate: (f, t) => address('state', /(state|province|region)$/)(f, t) ?? text('location.state', [{ abbreviated: true }])(f),
  },
  {
    label: 'district',
    name: /(^|_)(district|county)$/,
    kinds: ['text'],
    generate: (f, t) => address('state_name', /(district|county)$/)(f, t) ?? text('location.county')(f),
  },
  {
    label: 'postal code',
    name: /(^|_)(zip|zip_?code|postal_?code|postcode)$/,
    kinds: ['text'],
    generate: (f, t) => address('postal_code', /(zip|zip_?code|postal_?code|postcode)$/)(f, t) ?? text('location.zipCode')(f),
  },
  { label: 'second address line', name: /(^|_)address_?(2|line_?2)$/, kinds: ['text'], generate: text('location.secondaryAddress') },
  {
    label: 'street address',
    name: /(^|_)(address|street|address_?1|address_line_?1|street_address)$/,
    kinds: ['text'],
    generate: (f, t) =>
      address('street', /(address|street|address_?1|address_line_?1|street_address)$/)(f, t) ?? text('location.streetAddress')(f),
  },
  {
    label: 'latitude',
    name: /(^|_)lat(itude)?$/,
    kinds: ['float', 'decimal'],
    generate: (f, t) => address('latitude', /lat(itude)?$/)(f, t),
  },
  {
    label: 'longitude',
    name: /(^|_)(lng|lon|long|longitude)$/,
    kinds: ['float', 'decimal'],
    generate: (f, t) => address('longitude', /(lng|lon|long|longitude)$/)(f, t),
  },
  { label: 'URL', name: /(url|website|homepage|home_page|link|photo_path|image)$/, kinds: ['text'], generate: text('internet.url') },
  // numbers
  {
    label: 'price',
    name: /(price|cost|rate|fee|charge)$/,
    kinds: ['decimal', 'float', 'int'],
    generate: (_f, t) => {
      const max = ceiling(t, 500);
      return kindOf(t) === 'int'
        ? { kind: 'range', min: 1, max, skew: 2 }
        : { kind: 'range', min: 1, max, skew: 2, step: 1, offset: -0.01 };
    },
  },
  {
    label: 'amount',
    name: /(amount|total|subtotal|balance|salary|freight|payment|revenue|tax)$/,
    kinds: ['decimal', 'float', 'int'],
    generate: (_f, t) => ({ kind: 'range', min: 1, max: ceiling(t, 1000), skew: 2 }),
  },
  {
    label: 'discount',
    name: /discount$/,
    kinds: ['decimal', 'float'],
    generate: () => ({ kind: 'choice', values: [0, 0.05, 0.1, 0.15, 0.2, 0.25], weights: [10, 3, 3, 2, 1, 1] }),
  },
  {
    label: 'rating',
    name: /(rating|score|stars)$/,
    kinds: ['int', 'decimal', 'float'],
    generate: () => ({ kind: 'choice', values: [1, 2, 3, 4, 5], weights: [1, 1, 3, 6, 8] }),
  },
  {
    label: 'stock',
    name: /(stock|on_order|in_stock|reorder_level|inventory)$|^units_/,
    kinds: ['int'],
    generate: () => ({ kind: 'range', min: 0, max: 100 }),
  },
  {
    label: 'quantity',
    name: /(^|_)(quantity|qty|count|units|duration|days)$|^(number|num)_/,
    kinds: ['int', 'decimal'],
    generate: () => ({ kind: 'range', min: 1, max: 10, skew: 2 }),
  },
  { label: 'year', name: /(^|_)year$/, kinds: ['int'], generate: () => ({ kind: 'range', min: 1970, max: 2025 }) },
  { label: 'length in minutes', name: /^length$|minutes$/, kinds: ['int'], generate: () => ({ kind: 'range', min: 45, max: 185 }) },
  { label: 'milliseconds', name: /milliseconds$|_ms$/, kinds: ['int'], generate: () => ({ kind: 'range', min: 60_000, max: 600_000 }) },
  {
    label: 'size in bytes',
    name: /(bytes|size)$/,
    kinds: ['int'],
    generate: () => ({ kind: 'range', min: 100_000, max: 20_000_000, skew: 2 }),
  },
  {
    label: 'flag',
    name: /^(is_|has_|active|enabled|discontinued|deleted|verified)/,
    kinds: ['boolean', 'int'],
    generate: (_f, t) => ({ kind: 'choice', values: kindOf(t) === 'int' ? [1, 0] : [true, false], weights: [4, 1] }),
  },
  // times
  {
    label: 'end after the start of the same row',
    name: /(return|ship|shipped|deliver|delivered|end|ended|closed|paid|required|due|completed|finished|resolved)(_?(date|at|on|time))?$/,
    kinds: ['time'],
    when: (f) => startOf(f) !== undefined,
    generate: (f) => ({ kind: 'after', refs: [{ column: startOf(f)! }], maxDays: 30 }),
  },
  {
    label: 'birth date',
    name: /birth|^dob$|born/,
    kinds: ['time'],
    generate: () => ({ kind: 'range', min: '1950-01-01T00:00:00Z', max: '2005-12-31T00:00:00Z' }),
  },
  {
    label: 'last update after the creation of the same row',
    name: UPDATED,
    kinds: ['time'],
    when: (f) => createdOf(f) !== undefined,
    generate: (f) => ({ kind: 'after', refs: [{ column: createdOf(f)! }, ...f.parentTimes], maxDays: 365 }),
  },
  {
    label: 'timestamp after the parent row',
    name: EVENT_TIME,
    kinds: ['time'],
    when: (f) => f.parentTimes.length > 0,
    generate: (f) => ({ kind: 'after', refs: f.parentTimes, maxDays: 365 }),
  },
  { label: 'timestamp in the past', kinds: ['time'], generate: () => ({ kind: 'range', ...PAST }) },
  // text like the column's name
  { label: 'title', name: /(^|_)(title|subject|headline|caption)$/, kinds: ['text'], generate: english.title },
  {
    label: 'description',
    name: /(description|desc|summary|bio|about|overview|synopsis|details)$/,
    kinds: ['text'],
    generate: english.description,
  },
  { label: 'long text', name: /(body|content|notes?|comments?|text|message|review|remarks?)$/, kinds: ['text'], generate: english.body },
  { label: 'features or tags', name: /(features|tags|keywords|labels|topics)$/, kinds: ['text'], generate: text('word.noun') },
  {
    label: 'code or short key',
    kinds: ['text'],
    when: (f, t) => f.unique && (t.base === 'string' || t.base === 'char') && (t.length ?? 99) <= 8,
    generate: () => ({ kind: 'template', template: '{row}' }),
  },
  { label: 'name', name: /(^|_)name$/, kinds: ['text'], generate: text('commerce.productName') },
  { label: 'text', kinds: ['text'], generate: (f, t) => (t.base === 'text' ? sentence(STATEMENT)(f) : text('word.words')(f)) },
  { label: 'binary data', kinds: ['bytes'], generate: () => ({ kind: 'bytes' }) },
  { label: 'boolean', kinds: ['boolean'], generate: () => ({ kind: 'choice', values: [true, false] }) },
  {
    label: 'integer',
    kinds: ['int'],
    generate: (_f, t) => ({ kind: 'range', min: 1, max: (t.base as string) === 'smallint' ? 100 : 1000 }),
  },
  { label: 'decimal', kinds: ['decimal'], generate: (_f, t) => ({ kind: 'range', min: 1, max: ceiling(t, 1000) }) },
  { label: 'float', kinds: ['float'], generate: () => ({ kind: 'range', min: 0, max: 1000 }) },
];

/** The generator of the first rule that fits the column, with the rule's label; none for a type no rule knows (ecom's default applies). */
export function inferGenerator(f: ColumnFacts): { generator?: Generator; rule?: string } {
  const t = parseColumnType(f.type);
  if (!t || f.native) return {};
  if (t.array) {
    // an array of what its element would get, a few elements long
    const element = inferGenerator({ ...f, type: f.type.slice(0, -2), unique: false, foreignKey: undefined });
    return {
      generator: { kind: 'array', ...(element.generator ? { of: element.generator } : {}), max: 3 },
      rule: `array of ${element.rule ?? 'its type'}`,
    };
  }
  const kind = kindOf(t);
  for (const rule of RULES) {
    if (rule.kinds && !rule.kinds.includes(kind)) continue;
    if (rule.name && !rule.name.test(f.name)) continue;
    if (rule.when && !rule.when(f, t)) continue;
    const generator = rule.generate(f, t);
    if (generator) return { generator, rule: rule.label };
  }
  return {};
}
