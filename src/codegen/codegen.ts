import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type * as TypeScript from 'typescript';
import { z } from 'zod';
import { emitPrismaSchema } from '../../generators/prisma-schema.ts';
import { generatedFrom } from '../../generators/header.ts';
import { emitSeeders } from '../../generators/seeders.ts';
import { EcomError } from '../errors.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import { modelSchema } from '../model/schema.ts';
import { emitTableTypes } from '../server/tables/types.ts';

export interface CodegenOptions {
  /** The project folder: prisma/, src/generated and the JSON Schema go under it. */
  root: string;
  modelFile: string;
  check?: boolean;
  /** Skip `prisma generate` (tests of the emitters). */
  skipClient?: boolean;
}

/**
 * What codegen did to a file: `removed` a generated seeder of a table that left the model; `set
 * aside` the override of such a table into prisma/seeders/overrides/.unused/<model>/, `restored`
 * from there when the model is back. With --check: `stale` (would be rewritten) and `obsolete`
 * (would be removed or set aside).
 */
export type FileStatus = 'created' | 'updated' | 'unchanged' | 'stale' | 'removed' | 'obsolete' | 'set aside' | 'restored';

export interface CodegenResult {
  files: { path: string; status: FileStatus }[];
  client: 'generated' | 'up to date' | 'skipped';
}

export const JSON_SCHEMA_FILE = 'ecom-model.schema.json';
export const SCHEMA_FILE = 'prisma/schema.prisma';
export const SEEDERS_DIR = 'prisma/seeders';
const OVERRIDES_DIR = `${SEEDERS_DIR}/overrides`;
/**
 * Overrides of tables that left the model wait here, in a folder per model: the user's code is
 * never deleted, and tsc does not see it (its include globs skip dot-folders), so it cannot break
 * the build by importing a seeder that is gone.
 */
const UNUSED_OVERRIDES_DIR = `${OVERRIDES_DIR}/.unused`;
export const CLIENT_DIR = 'src/generated/prisma';
/** The client compiled beside the compiled CLI (dist/), which imports it from there. */
export const COMPILED_CLIENT_DIR = `dist/${CLIENT_DIR}`;
const CLIENT_STAMP = `${CLIENT_DIR}/.schema-sha256`;
/**
 * The types of the generated table API, which the server's AppRouter imports (types only: the
 * compiled server derives its routes from the model at start-up and needs nothing from here). Not
 * committed, like the client: --check compares it only when it is there (a fresh clone has none).
 */
export const TABLE_TYPES_FILE = 'src/generated/api/tables.ts';

/** Every file codegen owns, path (relative to root) → content. Pure: no I/O. */
export function renderOutputs(model: ResolvedModel, modelFile: string): Map<string, string> {
  const out = new Map<string, string>();
  out.set(SCHEMA_FILE, emitPrismaSchema(model, modelFile));
  for (const [p, text] of emitSeeders(model, modelFile).generated) out.set(`${SEEDERS_DIR}/${p}`, text);
  // printed from the routes' zod schemas, hence in src/server/tables rather than generators/ (see there)
  out.set(TABLE_TYPES_FILE, emitTableTypes(model, modelFile));
  return out;
}

export function modelJsonSchema(): string {
  return (
    JSON.stringify(
      { $id: 'https://ecom.dev/ecom-model.schema.json', title: 'ecom data model', ...z.toJSONSchema(modelSchema, { io: 'input' }) },
      null,
      2,
    ) + '\n'
  );
}

/**
 * Writes schema.prisma, the typed seeders, the types of the table API and the model's JSON Schema,
 * creates override scaffolds once, and generates the Prisma client when the schema changed. Writes
 * only what differs, so a second run changes nothing. With `check`, writes nothing and reports
 * stale files.
 */
export function codegen(model: ResolvedModel, options: CodegenOptions): CodegenResult {
  const root = resolve(options.root);
  const modelRel = relative(root, resolve(options.modelFile)) || options.modelFile;
  const outputs = renderOutputs(model, modelRel);
  outputs.set(JSON_SCHEMA_FILE, modelJsonSchema());
  const previous = seedersModel(root);
  const files: CodegenResult['files'] = [];
  for (const [path, text] of outputs) {
    const abs = join(root, path);
    const current = existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
    if (options.check && current === undefined && path === TABLE_TYPES_FILE) continue;
    if (current === text) files.push({ path, status: 'unchanged' });
    else if (options.check) files.push({ path, status: 'stale' });
    else {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, text);
      files.push({ path, status: current === undefined ? 'created' : 'updated' });
    }
  }
  files.push(...removeLeftovers(root, model, outputs, previous, options.check));
  if (options.check) return { files, client: 'skipped' };
  for (const [path, text] of emitSeeders(model, modelRel).scaffolds) {
    const abs = join(root, SEEDERS_DIR, path);
    if (existsSync(abs)) continue;
    mkdirSync(dirname(abs), { recursive: true });
    const unused = join(root, UNUSED_OVERRIDES_DIR, model.name, basename(path));
    const restore = existsSync(unused);
    if (restore) renameSync(unused, abs);
    else writeFileSync(abs, text);
    files.push({ path: `${SEEDERS_DIR}/${path}`, status: restore ? 'restored' : 'created' });
  }
  const waiting = join(root, UNUSED_OVERRIDES_DIR, model.name);
  if (existsSync(waiting) && readdirSync(waiting).length === 0) rmSync(waiting, { recursive: true });
  const client = options.skipClient ? 'skipped' : generateClient(root, outputs.get(SCHEMA_FILE)!);
  return { files, client };
}

/**
 * The seeder files of tables that are no longer in the model (after a model change or a switch to
 * another model), which would otherwise break tsc by importing types the new client lacks: generated
 * seeders are removed; overrides, the user's code, are set aside under the name of the model they
 * were made for, and restored byte for byte when that model comes back. With `check`, only listed.
 */
function removeLeftovers(
  root: string,
  model: ResolvedModel,
  outputs: Map<string, string>,
  previous: string,
  check = false,
): CodegenResult['files'] {
  const inModel = new Set(model.tables.map((t) => t.name));
  const files: CodegenResult['files'] = [];
  const tsFiles = (dir: string) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir), { withFileTypes: true }).filter((d) => d.isFile() && d.name.endsWith('.ts'))
      : [];
  for (const f of tsFiles(SEEDERS_DIR)) {
    const path = `${SEEDERS_DIR}/${f.name}`;
    if (outputs.has(path) || generatedFrom(readFileSync(join(root, path), 'utf8')) === undefined) continue;
    if (!check) rmSync(join(root, path));
    files.push({ path, status: check ? 'obsolete' : 'removed' });
  }
  for (const f of tsFiles(OVERRIDES_DIR)) {
    const table = f.name.slice(0, -'.ts'.length);
    if (inModel.has(table)) continue;
    const path = `${OVERRIDES_DIR}/${f.name}`;
    if (check) {
      files.push({ path, status: 'obsolete' });
      continue;
    }
    const dir = join(UNUSED_OVERRIDES_DIR, previous);
    mkdirSync(join(root, dir), { recursive: true });
    let name = f.name; // an older copy set aside for the same model stays beside it
    for (let n = 2; existsSync(join(root, dir, name)); n++) name = `${table}.${n}.ts`;
    renameSync(join(root, path), join(root, dir, name));
    files.push({ path: `${dir}/${name}`, status: 'set aside' });
  }
  return files;
}

/** The name of the model prisma/seeders were last generated from, as their index says ("unknown" if it cannot tell). */
function seedersModel(root: string): string {
  const index = join(root, SEEDERS_DIR, 'index.ts');
  const file = existsSync(index) ? generatedFrom(readFileSync(index, 'utf8')) : undefined;
  try {
    const name = file && (JSON.parse(readFileSync(resolve(root, file), 'utf8')) as { name?: unknown }).name;
    if (typeof name === 'string' && /^[a-z][a-z0-9_]*$/.test(name)) return name;
  } catch {
    // the model file is gone or unreadable
  }
  return 'unknown';
}

/**
 * Fails, naming the command that fixes it, unless prisma/schema.prisma (and, with `client`, the
 * generated Prisma client) were generated from this model: running on another model's files
 * fails later with messages about missing tables or exports.
 */
export function assertGeneratedFrom(model: ResolvedModel, options: { root: string; modelFile: string; client?: boolean }): void {
  const root = resolve(options.root);
  const schema = renderOutputs(model, relative(root, resolve(options.modelFile)) || options.modelFile).get(SCHEMA_FILE)!;
  const fix = `run \`ecom codegen --model ${options.modelFile}\``;
  const current = join(root, SCHEMA_FILE);
  if (!existsSync(current) || readFileSync(current, 'utf8') !== schema) {
    throw new EcomError(`${SCHEMA_FILE} was not generated from ${options.modelFile}`, [
      { pointer: SCHEMA_FILE, message: existsSync(current) ? 'differs from what the model generates' : 'missing', hint: fix },
    ]);
  }
  if (options.client && !clientUpToDate(root, schema)) {
    throw new EcomError(`the Prisma client was not generated from ${options.modelFile}`, [
      { pointer: CLIENT_DIR, message: 'missing or generated from another schema', hint: fix },
    ]);
  }
}

const schemaHash = (schema: string) => createHash('sha256').update(schema).digest('hex');

function clientUpToDate(root: string, schema: string): boolean {
  const stamp = join(root, CLIENT_STAMP);
  return (
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8') === schemaHash(schema) &&
    existsSync(join(root, CLIENT_DIR, 'client.ts')) &&
    existsSync(join(root, COMPILED_CLIENT_DIR, 'client.js'))
  );
}

/** Runs `prisma generate` and compiles the client, unless both were made from this very schema. */
function generateClient(root: string, schema: string): CodegenResult['client'] {
  if (clientUpToDate(root, schema)) return 'up to date';
  const cli = join(dirname(createRequire(import.meta.url).resolve('prisma/package.json')), 'build/index.js');
  const env: NodeJS.ProcessEnv = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
  // `prisma generate` needs no schema engine, but Prisma 7's CLI downloads one at start-up unless
  // this names an existing file; any file will do, so air-gapped machines can generate.
  if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
  const run = spawnSync(process.execPath, [cli, 'generate', '--schema', join(root, SCHEMA_FILE)], { cwd: root, env, encoding: 'utf8' });
  if (run.status !== 0) {
    throw new EcomError('prisma generate failed', [
      { pointer: SCHEMA_FILE, message: (run.stderr || run.stdout || String(run.error)).trim().split('\n').slice(-5).join(' ') },
    ]);
  }
  compileClient(join(root, CLIENT_DIR), join(root, COMPILED_CLIENT_DIR));
  writeFileSync(join(root, CLIENT_STAMP), schemaHash(schema));
  return 'generated';
}

/**
 * Prisma 7's client generator writes TypeScript only; the compiled CLI needs JavaScript. Each file
 * is transpiled on its own (types stripped, `.ts` imports rewritten), as the build does for src/.
 */
function compileClient(from: string, to: string): void {
  const ts = createRequire(import.meta.url)('typescript') as typeof TypeScript;
  const options = {
    module: ts.ModuleKind.ESNext,
    target: ts.ScriptTarget.ES2023,
    rewriteRelativeImportExtensions: true,
    verbatimModuleSyntax: true,
  };
  rmSync(to, { recursive: true, force: true });
  for (const file of readdirSync(from, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
    const { outputText } = ts.transpileModule(readFileSync(join(from, file), 'utf8'), { compilerOptions: options, fileName: file });
    mkdirSync(dirname(join(to, file)), { recursive: true });
    writeFileSync(join(to, file.replace(/\.ts$/, '.js')), outputText);
  }
}
