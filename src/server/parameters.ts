import { z } from 'zod';
import { LIMITS } from './limits.ts';

/**
 * Parameter schemas every route builds on (hand-written and generated alike). REST reads parameters
 * as text and tRPC as JSON; both go through the same schemas, so a value means the same on both protocols.
 */

/** Canonical decimal digits: what an integer parameter may look like as text (REST, and tRPC too). */
const DECIMAL_INTEGER = /^(0|-?[1-9][0-9]*)$/;

/**
 * An integer from `min` to `max` (by default the int4 range of the key columns): a JSON number, or
 * decimal digits. `0x51`, `1e1`, `+5`, `5.0`, ` 1` and the empty string are refused, each with its reason.
 */
export function integer(name: string, { min, max = LIMITS.int4Max, example }: { min: number; max?: number; example: number }) {
  const range = `${name} must be between ${min} and ${max}`;
  const number = z
    .number({ error: `${name} must be an integer` })
    .min(min, { error: range, abort: true })
    .max(max, { error: range, abort: true })
    .int(`${name} must be an integer`)
    .meta({ examples: [example] });
  return z.preprocess<unknown, typeof number, number>((value, ctx) => {
    if (typeof value !== 'string') return value;
    if (DECIMAL_INTEGER.test(value)) {
      const n = Number(value);
      return Number.isFinite(n) ? n : Math.sign(n) * Number.MAX_VALUE; // hundreds of digits: out of range, not "not a number"
    }
    ctx.addIssue({ code: 'custom', message: integerTextError(name, value, String(example)) });
    return value;
  }, number);
}

function integerTextError(name: string, text: string, example: string): string {
  if (text === '') return `${name} is empty: give an integer such as ${example}, or leave ${name} out`;
  if (/\s/.test(text)) return `${name} must not contain spaces (got ${JSON.stringify(text)})`;
  return `${name} must be an integer in decimal digits, without plus sign, point, exponent or leading zeros, such as ${example} (got ${JSON.stringify(text)})`;
}

/**
 * A PostgreSQL bigint: decimal digits as a string, also over tRPC (JSON numbers lose precision beyond
 * 2^53); the value is a BigInt. At most 18 digits, so that every value the pattern admits is in range.
 */
export function bigInteger(name: string) {
  const example = '9007199254740993';
  const message = `${name} must be an integer of at most 18 decimal digits as a string, without plus sign, point, exponent or leading zeros, such as "${example}"`;
  return z
    .string({ error: message })
    .regex(/^(0|-?[1-9][0-9]{0,17})$/, message)
    .meta({ examples: [example] })
    .transform((text) => BigInt(text));
}

/** A decimal of at most `precision` digits, `scale` of them after the point, as text (never a binary float). */
export function decimalText(name: string, { precision, scale, signed }: { precision: number; scale: number; signed: boolean }) {
  const whole = precision - scale;
  const pattern = new RegExp(
    `^${signed ? '-?' : ''}(0|[1-9][0-9]{0,${Math.max(0, whole - 1)}})${scale > 0 ? `(\\.[0-9]{1,${scale}})?` : ''}$`,
  );
  const example = scale > 0 ? `99.${'5'.padEnd(scale, '0')}` : '99';
  const message = `${name} must be a ${signed ? '' : 'non-negative '}decimal as a string of at most ${whole} digits${
    scale > 0 ? ` and ${scale} decimals` : ''
  }, such as "${example}"`;
  return z
    .string({ error: message })
    .regex(pattern, message)
    .meta({ examples: [example] });
}

/** A float parameter: decimal digits with an optional fraction (REST), or a finite JSON number (tRPC). */
export function floatNumber(name: string) {
  const message = `${name} must be a number in decimal digits, such as 4.5`;
  const number = z.number({ error: message }).meta({ examples: [4.5] });
  return z.preprocess<unknown, typeof number, number>((value, ctx) => {
    if (typeof value !== 'string') return value;
    if (/^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(value)) return Number(value);
    ctx.addIssue({ code: 'custom', message: `${message} (got ${JSON.stringify(value)})` });
    return value;
  }, number);
}

/** A boolean parameter: `true` or `false` as text (REST) or JSON (tRPC). */
export function booleanFlag(name: string) {
  const flag = z.boolean({ error: `${name} must be true or false` }).meta({ examples: [true] });
  return z.preprocess((value: unknown) => (value === 'true' ? true : value === 'false' ? false : value), flag);
}

/** PostgreSQL has no year 0, and ISO 8601 years have four digits: instants are kept within these (UTC). */
const INSTANT_RANGE = { min: Date.parse('0001-01-01T00:00:00Z'), max: Date.parse('9999-12-31T23:59:59.999Z') };
const inRange = (value: string) => {
  const t = Date.parse(value);
  return t >= INSTANT_RANGE.min && t <= INSTANT_RANGE.max;
};
const RANGE_MESSAGE = 'must fall between 0001-01-01 and 9999-12-31 UTC (PostgreSQL has no year 0)';

/** A date or a date-time with offset. */
export const instant = (name: string) =>
  z
    .union([z.iso.date(), z.iso.datetime({ offset: true })], {
      error: `${name} must be an ISO 8601 date or date-time with offset, such as 2025-01-31 or 2025-01-31T12:00:00Z`,
    })
    .refine(inRange, `${name} ${RANGE_MESSAGE}`)
    .meta({ examples: ['2025-01-31', '2025-01-31T12:00:00Z'] });

/** A calendar date, YYYY-MM-DD. */
export const calendarDate = (name: string) =>
  z.iso
    .date({ error: `${name} must be an ISO 8601 date, such as 2025-01-31`, abort: true })
    .refine(inRange, `${name} ${RANGE_MESSAGE}`)
    .meta({ examples: ['2025-01-31'] });

/**
 * Parameters of a route: unknown ones are refused, with the list of those the route takes (the
 * zod issue's message; problem.ts names each unknown one).
 */
export const parameterObject = <Shape extends z.ZodRawShape>(shape: Shape) => {
  const names = Object.keys(shape);
  const takes = names.length > 0 ? `this route takes ${names.join(', ')}` : 'this route takes no parameters';
  return z.strictObject(shape, { error: (issue) => (issue.code === 'unrecognized_keys' ? takes : undefined) });
};

/**
 * Query parameters: all may be left out (REST: no query string; tRPC: no input). Every parameter
 * is optional or has a default, hence `{}` is a valid input.
 */
export const queryParameters = <Shape extends z.ZodRawShape>(shape: Shape) => {
  const parameters = parameterObject(shape);
  return parameters.prefault({} as z.input<typeof parameters>);
};

/** Routes without parameters still refuse unknown ones, like every other route. */
export const noParameters = parameterObject({});

/** The page parameters of every list. */
export const pageParameters = {
  skip: integer('skip', { min: 0, example: 0 }).default(0).describe('rows to skip'),
  limit: integer('limit', { min: 1, max: LIMITS.maxPageSize, example: 20 }).default(50).describe(`page size, 1-${LIMITS.maxPageSize}`),
};

/** A count(*)::int. */
export const count = z.int().min(0).max(LIMITS.int4Max);
