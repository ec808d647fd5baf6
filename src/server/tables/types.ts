import { z } from 'zod';
import { generatedBy } from '../../../generators/header.ts';
import { EcomError } from '../../errors.ts';
import type { ResolvedModel } from '../../model/resolve.ts';
import { MicroCache } from '../micro-cache.ts';
import type { Route } from '../routes/route.ts';
import { describeTables, type TableApi } from './describe.ts';
import { tableRoutes } from './routes.ts';

/**
 * The TypeScript types of the generated table API (src/generated/api/tables.ts, written by `ecom
 * codegen`; the server's AppRouter imports them as types only). They are printed from the very zod
 * schemas the routes validate with and answer with, through their JSON Schema (the input side of a
 * parameter, as the OpenAPI document shows it; the output side of a response), so there is no
 * second mapping of column types to drift. It lives beside the routes rather than in generators/
 * (pure model → text) because it needs them.
 */
export function emitTableTypes(model: ResolvedModel, modelFile: string): string {
  const cache = new MicroCache(0); // never used: the routes are only read, not run
  const tables = uniqueTypeNames(describeTables(model)).map((api) => {
    const [list, get] = tableRoutes(api, cache) as [RouteWithInput, RouteWithInput];
    return { api, list, get };
  });
  const printer = new TypePrinter();
  // rows first: pages and details name them, their own and their parents'
  for (const { api, list } of tables) {
    printer.declare(`${api.typeName}Row`, `A row of ${api.table}.`, jsonSchema(list.output.schema, 'output').properties!.items!.items!);
  }
  const entries = tables.map(({ api, list, get }) => {
    const name = api.typeName;
    const answer = (route: RouteWithInput) => `the answer of ${route.operationId}.`;
    const listInput = printer.declare(
      `${name}ListInput`,
      `Parameters of ${list.operationId}: ${lower(list.summary)}.`,
      jsonSchema(list.input, 'input'),
    );
    const getInput = printer.declare(`${name}GetInput`, `Parameters of ${get.operationId}: its key.`, jsonSchema(get.input, 'input'));
    printer.declare(`${name}Page`, `${list.output.description}: ${answer(list)}`, jsonSchema(list.output.schema, 'output'));
    printer.declare(`${name}Detail`, `${get.summary}: ${answer(get)}`, jsonSchema(get.output.schema, 'output'), `${name}Row`);
    return [
      `  ${propertyKey(api.table)}: {`,
      `    list: { input: ${inputType(list, listInput)}; output: ${name}Page };`,
      `    get: { input: ${inputType(get, getInput)}; output: ${name}Detail };`,
      `  };`,
    ].join('\n');
  });
  return [
    `${generatedBy(modelFile)} Do not edit: change the model and run codegen again.`,
    '',
    ...printer.declarations,
    '/**',
    ' * Every table served by the generated API (destination `api`), with the input and output types of its',
    ' * procedures: tRPC `tables.<table>.list` and `.get`, REST `GET /tables/<table>` and `GET /tables/<table>/{key…}`.',
    ' */',
    entries.length > 0 ? `export interface GeneratedTables {\n${entries.join('\n')}\n}` : 'export interface GeneratedTables {}',
    '',
  ].join('\n');
}

/** Tables whose names differ only in number (film, films) would declare the same types (and OpenAPI schemas). */
function uniqueTypeNames(tables: TableApi[]): TableApi[] {
  for (const [n, api] of tables.entries()) {
    const other = tables.slice(0, n).find((o) => o.typeName === api.typeName);
    if (other) {
      throw new EcomError(`tables ${other.table} and ${api.table} would share the type name ${api.typeName} in the API`, [
        { pointer: api.table, message: `its types would be named like those of ${other.table}`, hint: 'rename one of the two tables' },
      ]);
    }
  }
  return tables;
}

/** A parameter object that accepts no value at all (every parameter optional) may be left out. */
const inputType = (route: RouteWithInput, name: string) => (route.input.safeParse(undefined).success ? `${name} | undefined` : name);

type RouteWithInput = Extract<Route, { input: z.ZodType }>;

/**
 * The part of JSON Schema zod writes for the route schemas that TypeScript can say. Patterns, formats
 * and bounds have no TypeScript form and are left out; a structure the printer does not know (a
 * record's `additionalProperties`, `$ref`, `allOf`, …) is refused, so a new codec cannot be printed wrong.
 */
interface JsonSchema {
  type?: string | string[];
  enum?: (string | number | boolean | null)[];
  const?: string | number | boolean | null;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  description?: string;
}

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;

const lower = (text: string) => text.replace(/^./, (c) => c.toLowerCase());

/** Prettier's line width in this project: the printed text is already formatted as it would format it. */
const WIDTH = 140;
const INDENT = '  ';

const propertyKey = (key: string) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : quote(key));
/** A string literal as prettier writes it here: single quotes, unless the text holds more of them than double quotes. */
const quote = (text: string) => {
  const double = text.split("'").length > text.split('"').length;
  const q = double ? '"' : "'";
  return q + text.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), `\\${q}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r') + q;
};
const literal = (value: string | number | boolean | null) => (typeof value === 'string' ? quote(value) : String(value));
const jsDoc = (indent: string, text: string) => `${indent}/** ${text.replace(/\*\//g, '*\\/')} */`;

/**
 * Prints JSON Schemas as TypeScript, as named interfaces: an object equal to an interface already
 * declared is printed as its name (a page's items, a parent row), and an interface may extend
 * another whose properties it starts with (a detail extends its row).
 */
class TypePrinter {
  readonly declarations: string[] = [];
  /** Interfaces declared so far: their name and properties (each printed at one level of indent). */
  private readonly interfaces: { name: string; properties: string[] }[] = [];

  declare(name: string, doc: string, schema: JsonSchema, extending?: string): string {
    if (schema.type !== 'object' || typeof schema.additionalProperties === 'object')
      throw new Error(`${name}: expected an object schema, got ${JSON.stringify(schema)}`);
    const properties = this.properties(schema, 1);
    const base = this.interfaces.find(
      (i) => i.name === extending && i.properties.length < properties.length && i.properties.every((p, n) => properties[n] === p),
    );
    const own = properties.slice(base?.properties.length ?? 0);
    const head = `export interface ${name}${base ? ` extends ${base.name}` : ''}`;
    this.declarations.push(jsDoc('', doc), own.length > 0 ? `${head} {\n${own.join('\n')}\n}` : `${head} {}`, '');
    this.interfaces.push({ name, properties });
    return name;
  }

  /** Each property with its doc comment, as lines at `depth` levels of indent. */
  private properties(schema: JsonSchema, depth: number): string[] {
    const indent = INDENT.repeat(depth);
    const required = new Set(schema.required ?? []);
    return Object.entries(schema.properties ?? {}).map(([key, s]) => {
      // a nullable value's description is on its non-null member
      const description = s.description ?? s.anyOf?.find((m) => m.description)?.description;
      const doc = description ? `${jsDoc(indent, description)}\n` : '';
      const head = `${indent}${propertyKey(key)}${required.has(key) ? '' : '?'}:`;
      const members = this.union(s, depth);
      const line = `${head} ${members.join(' | ')};`;
      // a union too long for a line: one member a line, as prettier breaks it
      if (members.length > 1 && line.length > WIDTH && members.every((m) => !m.includes('\n')))
        return `${doc}${head}\n${members.map((m) => `${indent}${INDENT}| ${m}`).join('\n')};`;
      return `${doc}${line}`;
    });
  }

  /** The members of the union a schema stands for (one for most), deduplicated, in order. */
  private union(schema: JsonSchema, depth: number): string[] {
    const members = schema.anyOf
      ? schema.anyOf.flatMap((s) => this.union(s, depth))
      : schema.enum
        ? schema.enum.map(literal)
        : schema.const !== undefined
          ? [literal(schema.const)]
          : Array.isArray(schema.type)
            ? schema.type.flatMap((type) => this.union({ ...schema, type }, depth))
            : [this.single(schema, depth)];
    return [...new Set(members)];
  }

  private single(schema: JsonSchema, depth: number): string {
    switch (schema.type) {
      case undefined:
        if (Object.keys(schema).every((k) => k === 'description')) return 'unknown'; // any JSON value
        break;
      case 'string':
      case 'boolean':
      case 'null':
        return schema.type;
      case 'integer':
      case 'number':
        return 'number';
      case 'array': {
        const element = this.union(schema.items ?? {}, depth);
        return element.length > 1 ? `(${element.join(' | ')})[]` : `${element[0]}[]`;
      }
      case 'object': {
        if (typeof schema.additionalProperties === 'object') break;
        const flat = this.properties(schema, 1);
        const named = this.interfaces.find((i) => i.properties.length === flat.length && i.properties.every((p, n) => flat[n] === p));
        if (named) return named.name;
        if (flat.length === 0) return 'Record<string, never>';
        return `{\n${this.properties(schema, depth + 1).join('\n')}\n${INDENT.repeat(depth)}}`;
      }
    }
    throw new Error(`no TypeScript type for the JSON Schema ${JSON.stringify(schema)}`);
  }
}
