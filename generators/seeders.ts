import type { ResolvedColumn, ResolvedModel, ResolvedTable } from '../src/model/resolve.ts';
import { generatedBy } from './header.ts';
import { fieldName } from './prisma-schema.ts';
import { camelCase, enumMembers, enumTypeOf, modelName, pascalCase } from './naming.ts';

/** Files emitted under prisma/seeders: path (relative to that folder) → content. */
export interface SeederFiles {
  /** Rewritten on every codegen. */
  generated: Map<string, string>;
  /** Created once, never overwritten: the user's overrides. */
  scaffolds: Map<string, string>;
}

const CLIENT = '../../src/generated/prisma/client.ts';
const RUNTIME = '../../src/seed/seeder.ts';

export function rowTypeName(table: string): string {
  return `${pascalCase(table)}Row`;
}

export function emitSeeders(model: ResolvedModel, modelFile: string): SeederFiles {
  const generated = new Map<string, string>();
  const scaffolds = new Map<string, string>();
  for (const t of model.tables) {
    generated.set(`${t.name}.ts`, seederModule(t, modelFile));
    scaffolds.set(`overrides/${t.name}.ts`, overridesModule(t));
  }
  const index = [
    header(modelFile),
    ...model.tables.map((t) => `import { ${camelCase(t.name)} } from './${t.name}.ts';`),
    '',
    ...model.tables.map((t) => `export type { ${rowTypeName(t.name)} } from './${t.name}.ts';`),
    '',
    "/** Every table's seeder, in dependency order. `ecom seed` runs these. */",
    'export const seeders = {',
    ...model.tables.map((t) => `  ${camelCase(t.name)},`),
    '};',
    '',
  ];
  generated.set('index.ts', index.join('\n'));
  return { generated, scaffolds };
}

function header(modelFile: string): string {
  return `${generatedBy(modelFile)} Do not edit: it is rewritten on every run.\n`;
}

function seederModule(t: ResolvedTable, modelFile: string): string {
  const row = rowTypeName(t.name);
  const lines = [
    header(modelFile).trimEnd(),
    `// To change how a column of "${t.name}" is generated, edit ./overrides/${t.name}.ts (never overwritten).`,
    '',
  ];
  if (t.inPostgres) lines.push(`import type { ${needsEnums(t) ? '$Enums, ' : ''}Prisma } from '${CLIENT}';`);
  // type-only imports: the module runs without ecom's sources next to it
  lines.push(`import type { Seeder } from '${RUNTIME}';`, `import overrides from './overrides/${t.name}.ts';`, '');
  lines.push(
    t.inPostgres
      ? `/** A row of "${t.name}" as ecom writes it: the table's column names with the Prisma client's value types. */`
      : `/** A row of "${t.name}" (file only: ${t.file}). */`,
    `export interface ${row} {`,
  );
  for (const c of t.columns) lines.push(`  ${c.name}: ${t.inPostgres ? prismaType(t, c) : plainType(c)};`);
  lines.push(
    '}',
    '',
    `export const ${camelCase(t.name)}: Seeder<${row}> = {`,
    `  table: '${t.name}',`,
    `  columns: [${t.columns.map((c) => `'${c.name}'`).join(', ')}],`,
    '  overrides,',
    '};',
    '',
  );
  return lines.join('\n');
}

/** Enum columns whose labels are the Prisma client's names: typed by the client's enum (the others by their labels, which ecom writes). */
const clientEnum = (c: ResolvedColumn) =>
  c.type.base === 'enum' && !c.type.array && enumMembers(c.def.values!).every((m) => m.name === m.label);

function needsEnums(t: ResolvedTable): boolean {
  return t.columns.some(clientEnum);
}

function prismaType(t: ResolvedTable, c: ResolvedColumn): string {
  if (clientEnum(c)) return `$Enums.${enumTypeOf(t.name, c).prisma}${c.nullable ? ' | null' : ''}`;
  if (c.type.base === 'enum' || c.type.array) return plainType(c);
  return `Exclude<Prisma.${modelName(t.name)}UncheckedCreateInput['${fieldName(c.name)}'], undefined>`;
}

/** The TypeScript type of a column's values as ecom generates them: bytea as hex text ("\\x…"), arrays as arrays. */
function plainType(c: ResolvedColumn): string {
  const base: Record<string, string> = {
    int: 'number',
    smallint: 'number',
    float: 'number',
    real: 'number',
    bigint: 'bigint',
    boolean: 'boolean',
    json: 'unknown',
    jsonb: 'unknown',
  };
  const element =
    c.type.base === 'enum'
      ? c.def.values!.map((v) => JSON.stringify(v).replace(/'/g, "\\'").replace(/^"|"$/g, "'")).join(' | ')
      : (base[c.type.base] ?? 'string');
  const ts = c.type.array ? `(${element})[]` : element;
  return c.nullable ? `${ts} | null` : ts;
}

function overridesModule(t: ResolvedTable): string {
  const row = rowTypeName(t.name);
  const example = t.columns.find((c) => c.type.base === 'string' || c.type.base === 'text');
  return [
    `// Overrides for "${t.name}". ecom codegen created this file once and never overwrites it.`,
    "// Return a value for a column to replace the model's generator. Use ctx.faker (seeded per cell)",
    '// so the same --seed still gives the same data.',
    `import type { Overrides } from '${RUNTIME.replace('../../', '../../../')}';`,
    `import type { ${row} } from '../${t.name}.ts';`,
    '',
    'export default {',
    ...(example ? [`  // ${example.name}: (ctx) => ctx.faker.lorem.words(3),`] : []),
    `} satisfies Overrides<${row}>;`,
    '',
  ].join('\n');
}
