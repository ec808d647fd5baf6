import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { emitPrismaSchema } from '../../generators/prisma-schema.ts';
import { emitSeeders } from '../../generators/seeders.ts';
import { EcomError } from '../errors.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import { modelSchema } from '../model/schema.ts';

export interface CodegenOptions {
  /** The project folder: prisma/, src/generated and the JSON Schema go under it. */
  root: string;
  modelFile: string;
  check?: boolean;
  /** Skip `prisma generate` (tests of the emitters). */
  skipClient?: boolean;
}

export type FileStatus = 'created' | 'updated' | 'unchanged' | 'stale';

export interface CodegenResult {
  files: { path: string; status: FileStatus }[];
  client: 'generated' | 'up to date' | 'skipped';
}

export const JSON_SCHEMA_FILE = 'ecom-model.schema.json';
export const SCHEMA_FILE = 'prisma/schema.prisma';
export const SEEDERS_DIR = 'prisma/seeders';
export const CLIENT_DIR = 'src/generated/prisma';

/** Every file codegen owns, path (relative to root) → content. Pure: no I/O. */
export function renderOutputs(model: ResolvedModel, modelFile: string): Map<string, string> {
  const out = new Map<string, string>();
  out.set(SCHEMA_FILE, emitPrismaSchema(model, modelFile));
  for (const [p, text] of emitSeeders(model, modelFile).generated) out.set(`${SEEDERS_DIR}/${p}`, text);
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
 * Writes schema.prisma, the typed seeders and the model's JSON Schema, creates override scaffolds
 * once, and generates the Prisma client when the schema changed. Writes only what differs, so a
 * second run changes nothing. With `check`, writes nothing and reports stale files.
 */
export function codegen(model: ResolvedModel, options: CodegenOptions): CodegenResult {
  const root = resolve(options.root);
  const modelRel = relative(root, resolve(options.modelFile)) || options.modelFile;
  const outputs = renderOutputs(model, modelRel);
  outputs.set(JSON_SCHEMA_FILE, modelJsonSchema());
  const files: CodegenResult['files'] = [];
  for (const [path, text] of outputs) {
    const abs = join(root, path);
    const current = existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
    if (current === text) files.push({ path, status: 'unchanged' });
    else if (options.check) files.push({ path, status: 'stale' });
    else {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, text);
      files.push({ path, status: current === undefined ? 'created' : 'updated' });
    }
  }
  if (options.check) return { files, client: 'skipped' };
  for (const [path, text] of emitSeeders(model, modelRel).scaffolds) {
    const abs = join(root, SEEDERS_DIR, path);
    if (existsSync(abs)) continue;
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
    files.push({ path: `${SEEDERS_DIR}/${path}`, status: 'created' });
  }
  const client = options.skipClient ? 'skipped' : generateClient(root, outputs.get(SCHEMA_FILE)!);
  return { files, client };
}

/** Runs `prisma generate`, unless the client was already generated from this very schema. */
function generateClient(root: string, schema: string): CodegenResult['client'] {
  const stamp = join(root, CLIENT_DIR, '.schema-sha256');
  const hash = createHash('sha256').update(schema).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash && existsSync(join(root, CLIENT_DIR, 'client.ts'))) return 'up to date';
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
  writeFileSync(stamp, hash);
  return 'generated';
}
