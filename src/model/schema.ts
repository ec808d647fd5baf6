import { z } from 'zod';

/**
 * The model format. This zod schema is the single source of truth: the loader validates with it,
 * TypeScript types are inferred from it and `ecom-model.schema.json` is generated from it.
 */

const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case: lower-case letters, digits and underscores, starting with a letter')
  .max(63, 'PostgreSQL identifiers are at most 63 characters');

export const COLUMN_TYPES = [
  'int',
  'bigint',
  'smallint',
  'string',
  'varchar(n)',
  'char(n)',
  'text',
  'boolean',
  'decimal(p,s)',
  'float',
  'real',
  'date',
  'datetime',
  'timestamp(p)',
  'timestamptz(p)',
  'time(p)',
  'timetz(p)',
  'uuid',
  'json',
  'jsonb',
  'bytea',
  'enum',
] as const;
/**
 * A column type: a name, a varchar/char length, a decimal's precision and scale, or a timestamp or
 * time with an optional precision; any of them followed by `[]` is an array of it. Groups: 1 name,
 * 2 varchar length, 3 char length, 4-5 decimal, 6-7 timestamp/time and precision, 8 `[]`.
 */
export const TYPE_PATTERN =
  /^(?:(int|bigint|smallint|string|text|boolean|float|real|date|datetime|uuid|json|jsonb|bytea|enum)|varchar\((\d+)\)|char\((\d+)\)|decimal\((\d+),\s*(\d+)\)|(timestamptz|timestamp|timetz|time)(?:\((\d+)\))?)(\[\])?$/;

/** A constraint or index name in PostgreSQL. */
const constraintName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_$]*$/, 'must be a letter or underscore followed by letters, digits, underscores or $')
  .max(63, 'PostgreSQL identifiers are at most 63 characters');

/**
 * PostgreSQL types Prisma supports natively that no model type names, each with the model types it
 * may be declared on (`native` replaces the @db attribute the type would give). Bit and VarBit take
 * an optional length: "Bit(8)".
 */
export const NATIVE_TYPES = {
  Inet: ['string', 'text'],
  Xml: ['string', 'text'],
  Bit: ['string', 'text'],
  VarBit: ['string', 'text'],
  Oid: ['int'],
} as const;

export const REFERENTIAL_ACTIONS = ['Cascade', 'Restrict', 'SetNull', 'SetDefault', 'NoAction'] as const;

const scalar = z.union([z.string(), z.number(), z.boolean()]);

const ref = z
  .object({
    via: identifier.describe('a foreign-key column of this table'),
    column: identifier.describe('a column of the referenced table'),
  })
  .strict();

/** "order_id.user_id": foreign keys followed from a table's row, then a column of the row reached. */
const path = z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, 'must be column names joined by dots, e.g. "order_id.user_id"');

/** The parts of a real address that an `address` generator fills, one per column. */
export const ADDRESS_PARTS = [
  'street',
  'city',
  'state',
  'state_name',
  'postal_code',
  'country',
  'area_code',
  'phone',
  'latitude',
  'longitude',
] as const;
export type AddressPart = (typeof ADDRESS_PARTS)[number];
/** Countries with reference data: every city, state, postal code and area code drawn exists. */
export const ADDRESS_COUNTRIES = ['US', 'CA'] as const;
export type AddressCountry = (typeof ADDRESS_COUNTRIES)[number];

/** A timestamp another timestamp is compared with: of a referenced row (`via`), a drawn row (`from`), or this row (`column` alone). */
export type TimeRef = { via: string; column: string } | { from: string; column: string } | { column: string };

export type Generator =
  | { kind: 'faker'; method: string; args?: unknown[] }
  | { kind: 'range'; min: number | string; max: number | string; skew?: number; step?: number; offset?: number }
  | {
      kind: 'choice';
      values: (string | number | boolean)[];
      weights?: number[];
      rank?: { column: string; order?: 'asc' | 'desc'; values: (string | number | boolean)[] };
    }
  | { kind: 'pattern'; pattern: string }
  | { kind: 'template'; template: string; distinct?: boolean }
  | { kind: 'email'; from: string[]; domains?: string[] }
  | { kind: 'uuid' }
  | { kind: 'sequence'; start?: number }
  | {
      kind: 'ref';
      spread?: 'uniform' | 'skewed' | 'partition' | 'once';
      nullRate?: number;
      distinctPer?: string;
      where?: Record<string, (string | number | boolean)[]>;
      from?: { table: string; path: string; where?: Record<string, (string | number | boolean)[]> };
    }
  | { kind: 'tree'; roots: number; levels?: number }
  | { kind: 'copy'; via: string; column: string }
  | { kind: 'after'; refs: TimeRef[]; minDays?: number; maxDays: number }
  | { kind: 'before'; refs: TimeRef[]; minDays?: number; maxDays: number }
  | { kind: 'bytes'; min?: number; max?: number }
  | { kind: 'array'; of?: Generator; min?: number; max?: number; distinct?: boolean }
  | { kind: 'sum'; table: string; via: string; multiply: string[] }
  | { kind: 'byRef'; via: string; column: string; cases: Record<string, Generator>; default?: Generator }
  | { kind: 'match'; column: string; cases: Record<string, Generator>; default?: Generator }
  | { kind: 'list'; values: string[] }
  | {
      kind: 'address';
      part: AddressPart;
      group?: string;
      countries?: AddressCountry[];
      weights?: number[];
      states?: string[];
      locale?: string;
    };

const timeRef = z.union([
  ref,
  z
    .object({
      from: identifier.describe('a table this table draws rows from (a "ref" generator with "from")'),
      column: path.describe('a path from the drawn row to a timestamp, e.g. "order_id.created_at"'),
    })
    .strict(),
  z.object({ column: identifier.describe('a timestamp column of this row') }).strict(),
]);

/** `after` and `before`: a timestamp on one side of other timestamps, within a number of days. */
function timeline(kind: 'after' | 'before') {
  return z
    .object({
      kind: z.literal(kind),
      refs: z.array(timeRef).min(1),
      minDays: z.number().nonnegative().optional().describe(`at least this many days ${kind} (delivery time)`),
      maxDays: z.number().positive(),
    })
    .strict()
    .describe(
      kind === 'after'
        ? "a timestamp after every referenced timestamp (of referenced rows, drawn rows or this row's columns)"
        : 'a timestamp before every referenced timestamp',
    );
}

export const generatorSchema: z.ZodType<Generator> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('faker'),
        method: z.string().describe('a Faker method path, e.g. "person.firstName"'),
        args: z.array(z.unknown()).optional(),
      })
      .strict(),
    z
      .object({
        kind: z.literal('range'),
        min: z.union([z.number(), z.string()]).describe('a number, or an ISO date for date/datetime columns'),
        max: z.union([z.number(), z.string()]),
        skew: z.number().positive().optional().describe('1 = uniform; >1 favours low values, <1 favours high values'),
        step: z
          .number()
          .positive()
          .optional()
          .describe('numbers only: round to a multiple of step between min and max (prices in whole dollars: 1)'),
        offset: z.number().optional().describe('numbers only: added after rounding to step (-0.01: prices ending in .99)'),
      })
      .strict(),
    z
      .object({
        kind: z.literal('choice'),
        values: z.array(scalar).min(1),
        weights: z.array(z.number().nonnegative()).optional().describe('relative weights, one per value'),
        rank: z
          .object({
            column: identifier.describe('a number, date or datetime column of the same row'),
            order: z.enum(['asc', 'desc']).optional().describe('desc: the rows with the highest values get the first ranked value'),
            values: z.array(scalar).min(1).describe('some of the values, in the order of the column'),
          })
          .strict()
          .optional()
          .describe(
            'these values go to rows in the order of another column (the newest orders pending, the oldest delivered), keeping their weights overall; the other values fall anywhere',
          ),
      })
      .strict(),
    z
      .object({
        kind: z.literal('pattern'),
        pattern: z.string().min(1).describe('# digit, ? upper-case letter, * letter or digit, {row} the 1-based row number'),
      })
      .strict(),
    z
      .object({
        kind: z.literal('template'),
        template: z.string().min(1).describe('{column} of this row, {row}, {a|b|c} one of the alternatives, {{faker.method}}'),
        distinct: z
          .boolean()
          .optional()
          .describe(
            'each row of its group (its parent inside byRef) takes another combination of the {a|b} choices while there are enough',
          ),
      })
      .strict(),
    z
      .object({
        kind: z.literal('email'),
        from: z.array(identifier).min(1).describe('columns whose values form the local part'),
        domains: z.array(z.string()).min(1).optional(),
      })
      .strict(),
    z.object({ kind: z.literal('uuid') }).strict(),
    z.object({ kind: z.literal('sequence'), start: z.number().int().optional() }).strict(),
    z
      .object({
        kind: z.literal('ref'),
        spread: z
          .enum(['uniform', 'skewed', 'partition', 'once'])
          .optional()
          .describe(
            'partition: children of a parent are contiguous and every parent gets at least one; once: each parent row at most once (one-to-one)',
          ),
        nullRate: z.number().min(0).max(1).optional(),
        distinctPer: identifier
          .optional()
          .describe('another foreign key of this table: rows sharing its value get distinct parents here (join tables)'),
        where: z
          .record(path, z.array(scalar).min(1))
          .optional()
          .describe('only parent rows whose column (a path from the parent row) has one of the values, e.g. {"role": ["sales_agent"]}'),
        from: z
          .object({
            table: identifier.describe('another table whose rows are drawn, one per row of this table'),
            path: path.describe('foreign keys followed from the drawn row to this key\'s value, e.g. "order_id.user_id"'),
            where: z
              .record(path, z.array(scalar).min(1))
              .optional()
              .describe(
                'draw only rows whose column (a path from the drawn row) has one of the values, e.g. {"order_id.status": ["delivered"]}',
              ),
          })
          .strict()
          .optional()
          .describe(
            'the key comes from a row drawn from another table (a review by a buyer of the product): foreign keys of this table with the same "from.table" share the drawn row',
          ),
      })
      .strict(),
    z
      .object({
        kind: z.literal('tree'),
        roots: z.number().int().positive().describe('the first N rows are roots; the others are their descendants'),
        levels: z
          .number()
          .int()
          .min(2)
          .optional()
          .describe(
            'levels of the tree, roots included (default 2: roots and their children); each level is the children of the one before',
          ),
      })
      .strict(),
    z
      .object({ kind: z.literal('copy'), via: identifier, column: identifier })
      .strict()
      .describe("copies the referenced row's column"),
    timeline('after'),
    timeline('before'),
    z
      .object({
        kind: z.literal('bytes'),
        min: z.number().int().nonnegative().optional().describe('fewest bytes (default 8)'),
        max: z.number().int().nonnegative().optional().describe('most bytes (default 32)'),
      })
      .strict()
      .describe('random bytes, for bytea columns'),
    z
      .object({
        kind: z.literal('array'),
        of: generatorSchema.optional().describe("each element's generator (default: the element type's)"),
        min: z.number().int().nonnegative().optional().describe('fewest elements (default 0)'),
        max: z.number().int().nonnegative().optional().describe('most elements (default 3)'),
        distinct: z.boolean().optional().describe('no element twice in an array (as many as there are distinct values)'),
      })
      .strict()
      .describe('an array column: between min and max elements, each from "of"'),
    z
      .object({
        kind: z.literal('sum'),
        table: identifier.describe('the child table'),
        via: identifier.describe("the child's foreign key to this table"),
        multiply: z.array(identifier).min(1).describe('child columns multiplied per child row before summing'),
      })
      .strict(),
    z
      .object({
        kind: z.literal('byRef'),
        via: identifier,
        column: identifier,
        cases: z.record(z.string(), generatorSchema),
        default: generatorSchema.optional(),
      })
      .strict()
      .describe("chooses the generator by the referenced row's value (context-aware data)"),
    z
      .object({
        kind: z.literal('match'),
        column: identifier.describe('a column of the same row'),
        cases: z.record(z.string(), generatorSchema),
        default: generatorSchema.optional(),
      })
      .strict()
      .describe("chooses the generator by another column's value in the same row"),
    z
      .object({ kind: z.literal('list'), values: z.array(z.string()).min(1) })
      .strict()
      .describe('the k-th value for the k-th row of its group'),
    z
      .object({
        kind: z.literal('address'),
        part: z.enum(ADDRESS_PARTS).describe('the part of the address this column holds'),
        group: identifier
          .optional()
          .describe(
            'columns of a row with the same group hold parts of one address (default "address"); use two groups for billing and shipping',
          ),
        countries: z
          .array(z.enum(ADDRESS_COUNTRIES))
          .min(1)
          .optional()
          .describe(
            'countries with real reference data (default ["US"]): city, state, postal code, coordinates and area code exist together',
          ),
        weights: z.array(z.number().nonnegative()).optional().describe('relative weights, one per country'),
        states: z.array(z.string()).min(1).optional().describe('only these states or provinces, e.g. ["NY", "NJ", "ON"]'),
        locale: z
          .string()
          .optional()
          .describe('another country: a Faker locale such as "de" or "fr_CA"; its parts are Faker\'s, not reference data'),
      })
      .strict()
      .describe('one part of a real address: the columns of a group hold one place, drawn once per row'),
  ]),
);

export const columnSchema = z
  .object({
    name: identifier,
    type: z.string().describe(`one of ${COLUMN_TYPES.join(', ')}`),
    values: z
      .array(z.string().min(1, 'enum values must not be empty'))
      .min(1)
      .optional()
      .describe('the values (labels) of an enum column, e.g. ["G", "PG-13"]'),
    enum: identifier
      .optional()
      .describe('the name of the PostgreSQL enum type; enum columns with the same name share one type (and must list the same values)'),
    native: z
      .string()
      .regex(/^[A-Z][A-Za-z]*(\(\d+\))?$/, 'must be a Prisma native type name such as "Inet" or "Bit(8)"')
      .optional()
      .describe(`a PostgreSQL type Prisma supports natively but the model does not name: ${Object.keys(NATIVE_TYPES).join(', ')}`),
    nullable: z.boolean().optional(),
    unique: z.boolean().optional(),
    default: z.union([z.literal('autoincrement'), z.literal('uuid'), z.literal('now'), scalar]).optional(),
    references: z
      .object({
        table: identifier,
        column: identifier,
        onDelete: z.enum(REFERENTIAL_ACTIONS).optional(),
        onUpdate: z.enum(REFERENTIAL_ACTIONS).optional(),
        name: constraintName.optional().describe('the name of the foreign-key constraint'),
      })
      .strict()
      .optional(),
    nullRate: z.number().min(0).max(1).optional().describe('share of NULLs generated in a nullable column'),
    generate: generatorSchema.optional(),
    description: z.string().optional(),
  })
  .strict();

export const tableSchema = z
  .object({
    name: identifier,
    count: z.number().int('must be a whole number').positive('must be at least 1'),
    destination: z.enum(['postgres', 'csv', 'json', 'api']),
    primaryKey: z.array(identifier).min(1),
    columns: z.array(columnSchema).min(1),
    primaryKeyName: constraintName.optional().describe('the name of the primary-key constraint'),
    indexes: z
      .array(
        z
          .object({
            columns: z.array(identifier).min(1),
            unique: z.boolean().optional(),
            name: constraintName.optional().describe('the name of the index'),
          })
          .strict(),
      )
      .optional(),
    description: z.string().optional(),
  })
  .strict();

export const modelSchema = z
  .object({
    $schema: z.string().optional(),
    name: identifier,
    seed: z.number().int().optional().describe('default random seed'),
    now: z.iso.datetime().optional().describe('the reference "now" of generated timestamps, fixed for determinism'),
    tables: z.array(tableSchema).min(1),
  })
  .strict();

export type Model = z.infer<typeof modelSchema>;
export type Table = z.infer<typeof tableSchema>;
export type Column = z.infer<typeof columnSchema>;
