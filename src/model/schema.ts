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
  'string',
  'varchar(n)',
  'text',
  'boolean',
  'decimal(p,s)',
  'float',
  'date',
  'datetime',
  'uuid',
  'json',
  'enum',
] as const;
export const TYPE_PATTERN =
  /^(int|bigint|string|text|boolean|float|date|datetime|uuid|json|enum|varchar\((\d+)\)|decimal\((\d+),\s*(\d+)\))$/;

const scalar = z.union([z.string(), z.number(), z.boolean()]);

const ref = z
  .object({
    via: identifier.describe('a foreign-key column of this table'),
    column: identifier.describe('a column of the referenced table'),
  })
  .strict();

export type Generator =
  | { kind: 'faker'; method: string; args?: unknown[] }
  | { kind: 'range'; min: number | string; max: number | string; skew?: number }
  | { kind: 'choice'; values: (string | number | boolean)[]; weights?: number[] }
  | { kind: 'pattern'; pattern: string }
  | { kind: 'template'; template: string }
  | { kind: 'email'; from: string[]; domains?: string[] }
  | { kind: 'uuid' }
  | { kind: 'sequence'; start?: number }
  | { kind: 'ref'; spread?: 'uniform' | 'skewed' | 'partition'; nullRate?: number; distinctPer?: string }
  | { kind: 'tree'; roots: number }
  | { kind: 'copy'; via: string; column: string }
  | { kind: 'after'; refs: { via: string; column: string }[]; maxDays: number }
  | { kind: 'sum'; table: string; via: string; multiply: string[] }
  | { kind: 'byRef'; via: string; column: string; cases: Record<string, Generator>; default?: Generator }
  | { kind: 'match'; column: string; cases: Record<string, Generator>; default?: Generator }
  | { kind: 'list'; values: string[] };

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
      })
      .strict(),
    z
      .object({
        kind: z.literal('choice'),
        values: z.array(scalar).min(1),
        weights: z.array(z.number().nonnegative()).optional().describe('relative weights, one per value'),
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
          .enum(['uniform', 'skewed', 'partition'])
          .optional()
          .describe('partition: children of a parent are contiguous and every parent gets at least one'),
        nullRate: z.number().min(0).max(1).optional(),
        distinctPer: identifier
          .optional()
          .describe('another foreign key of this table: rows sharing its value get distinct parents here (join tables)'),
      })
      .strict(),
    z
      .object({
        kind: z.literal('tree'),
        roots: z.number().int().positive().describe('the first N rows are roots; the others are their children'),
      })
      .strict(),
    z
      .object({ kind: z.literal('copy'), via: identifier, column: identifier })
      .strict()
      .describe("copies the referenced row's column"),
    z
      .object({ kind: z.literal('after'), refs: z.array(ref).min(1), maxDays: z.number().positive() })
      .strict()
      .describe("a timestamp after every referenced row's timestamp"),
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
  ]),
);

export const columnSchema = z
  .object({
    name: identifier,
    type: z.string().describe(`one of ${COLUMN_TYPES.join(', ')}`),
    values: z
      .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'enum values must be identifiers'))
      .min(1)
      .optional()
      .describe('the values of an enum column'),
    nullable: z.boolean().optional(),
    unique: z.boolean().optional(),
    default: z.union([z.literal('autoincrement'), z.literal('uuid'), z.literal('now'), scalar]).optional(),
    references: z
      .object({
        table: identifier,
        column: identifier,
        onDelete: z.enum(['Cascade', 'Restrict', 'SetNull', 'NoAction']).optional(),
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
    indexes: z.array(z.object({ columns: z.array(identifier).min(1), unique: z.boolean().optional() }).strict()).optional(),
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
