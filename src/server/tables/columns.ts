import { z } from 'zod';
import type { ResolvedColumn } from '../../model/resolve.ts';
import { elementType } from '../../model/types.ts';
import { LIMITS } from '../limits.ts';
import { bigInteger, booleanFlag, calendarDate, decimalText, floatNumber, instant, integer } from '../parameters.ts';

/**
 * How the API reads and writes one column, by its model type: the parameter schema for a value of
 * it (a filter bound or a key in the path), how that value goes to Prisma, and how Prisma's value
 * comes back as JSON, with its schema. Every generated route is built from these.
 */
export interface ColumnCodec {
  /** A parameter holding a value of the column (text over REST, JSON over tRPC); none for json. */
  parameter?: (name: string) => z.ZodType;
  /** The parsed parameter as Prisma takes it in `where`. */
  toPrisma(value: unknown): unknown;
  /** The value in a response (non-null). */
  output: z.ZodType;
  /** Prisma's non-null value as that output. */
  toJson(value: unknown): unknown;
}

const INT4_MIN = -LIMITS.int4Max - 1;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const same = (v: unknown) => v;
/** Prisma's Decimal (decimal.js): toFixed keeps every digit of the column's scale. */
const fixed = (scale: number) => (v: unknown) => (v as { toFixed(d: number): string }).toFixed(scale);
const iso = (v: unknown) => (v as Date).toISOString();

export function codecOf(column: ResolvedColumn): ColumnCodec {
  const t = column.type;
  if (t.array) {
    // arrays are answered, not filtered on: one codec of the element, applied to each
    const element = codecOf({ ...column, type: elementType(t) });
    return {
      toPrisma: same,
      output: z.array(element.output.nullable()),
      toJson: (v) => (v as unknown[]).map((e) => (e === null ? null : element.toJson(e))),
    };
  }
  switch (t.base) {
    case 'int':
      return {
        parameter: (name) => integer(name, { min: INT4_MIN, example: 42 }),
        toPrisma: same,
        output: z.int().min(INT4_MIN).max(LIMITS.int4Max),
        toJson: same,
      };
    case 'smallint':
      return {
        parameter: (name) => integer(name, { min: -32768, max: 32767, example: 42 }),
        toPrisma: same,
        output: z.int().min(-32768).max(32767),
        toJson: same,
      };
    case 'bigint':
      return {
        parameter: bigInteger,
        toPrisma: same,
        output: z
          .string()
          .regex(/^-?[0-9]+$/)
          .describe('a bigint as a string of decimal digits (JSON numbers lose precision beyond 2^53)'),
        toJson: String,
      };
    case 'decimal':
      return {
        parameter: (name) => decimalText(name, { precision: t.precision, scale: t.scale, signed: true }),
        toPrisma: same, // Prisma takes decimals as exact strings
        output: z
          .string()
          .regex(new RegExp(`^-?(0|[1-9][0-9]*)${t.scale > 0 ? `\\.[0-9]{${t.scale}}` : ''}$`))
          .describe(`exact decimal as a string with ${t.scale} decimals`),
        toJson: fixed(t.scale),
      };
    case 'float':
    case 'real':
      return { parameter: floatNumber, toPrisma: same, output: z.number(), toJson: same };
    case 'boolean':
      return { parameter: booleanFlag, toPrisma: same, output: z.boolean(), toJson: same };
    case 'date':
      return {
        parameter: calendarDate,
        toPrisma: (v) => new Date(`${v as string}T00:00:00.000Z`),
        output: z.iso.date().describe('YYYY-MM-DD'),
        toJson: (v) => iso(v).slice(0, 10),
      };
    case 'datetime':
    case 'timestamp':
    case 'timestamptz':
      return {
        parameter: instant,
        toPrisma: (v) => new Date(v as string),
        output: z.iso.datetime().describe('ISO 8601 UTC, millisecond precision'),
        toJson: iso,
      };
    case 'uuid':
      return {
        parameter: (name) =>
          z
            .string({ error: `${name} must be a UUID` })
            .regex(UUID, `${name} must be a UUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301`)
            .transform((s) => s.toLowerCase())
            .meta({ examples: ['3f2504e0-4f89-41d3-9a0c-0305e82c3301'] }),
        toPrisma: same,
        output: z.string().regex(UUID),
        toJson: same,
      };
    case 'enum': {
      const values = column.def.values!;
      return {
        parameter: (name) => z.enum(values, { error: `${name} must be one of: ${values.join(', ')}` }).meta({ examples: [values[0]] }),
        toPrisma: same,
        output: z.enum(values),
        toJson: same,
      };
    }
    case 'time':
    case 'timetz':
      // Prisma gives a time of day as a Date on 1970-01-01 (UTC)
      return { toPrisma: same, output: z.iso.time().describe('HH:MM:SS[.fff], UTC'), toJson: (v) => iso(v).slice(11, 23) };
    case 'bytea':
      return {
        toPrisma: same,
        output: z
          .string()
          .regex(/^\\x[0-9a-f]*$/)
          .describe("bytes as PostgreSQL's hex text, \\x then two digits a byte"),
        toJson: (v) => `\\x${Buffer.from(v as Uint8Array).toString('hex')}`,
      };
    case 'string':
    case 'char':
    case 'text': {
      const length = 'length' in t ? t.length : undefined;
      const max = length ?? LIMITS.maxUrlBytes;
      return {
        parameter: (name) =>
          z
            .string({ error: `${name} must be text` })
            .min(1, `${name} is empty: give a value, or leave ${name} out`)
            .max(max, `${name} must be at most ${max} characters`),
        toPrisma: same,
        output: length !== undefined ? z.string().max(length) : z.string(),
        toJson: same,
      };
    }
    case 'json':
    case 'jsonb':
      return {
        toPrisma: same,
        // any JSON value (z.json() is recursive: its JSON Schema needs $defs the OpenAPI components cannot hold)
        output: z.unknown().describe('any JSON value'),
        toJson: same,
      };
  }
}
