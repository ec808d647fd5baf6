import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CLIENT_DIR, codegen } from '../../src/codegen/codegen.ts';
import type { Database } from '../../src/db/database.ts';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import { loadModel } from '../../src/model/load.ts';
import type { ResolvedModel } from '../../src/model/resolve.ts';
import { tempDir } from './cleanup.ts';

export const REPO = resolve(import.meta.dirname, '../..');

/** A scratch project folder holding a copy of a model, with schema.prisma generated (no client); removed when the test file is done, or by `cleanup`. */
export function scratchProject(modelFile: string): {
  root: string;
  model: ResolvedModel;
  schemaFile: string;
  migrationsDir: string;
  out: string;
  cleanup(): void;
} {
  const root = tempDir('ecom-project-');
  const copy = join(root, basename(modelFile));
  cpSync(resolve(REPO, modelFile), copy);
  const model = loadModel(copy);
  codegen(model, { root, modelFile: copy, skipClient: true });
  return {
    root,
    model,
    schemaFile: join(root, 'prisma/schema.prisma'),
    migrationsDir: join(root, 'prisma/migrations'),
    out: join(root, 'exports'),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** `scratchProject` for a model given as an object (written to model.json in a temp folder). */
export function scratchModel(model: object): ReturnType<typeof scratchProject> {
  const file = join(tempDir('ecom-model-'), 'model.json');
  writeFileSync(file, JSON.stringify(model, null, 2));
  return scratchProject(file);
}

/**
 * The Prisma client class generated for a scratch project's model (`prisma generate` in its folder,
 * a few seconds): the tests of the API on other models than the checkout's use it. The project gets
 * a link to node_modules, which the client imports.
 */
export async function generatedClient(p: ReturnType<typeof scratchProject>, modelFile: string): Promise<PrismaClientClass> {
  symlinkSync(join(REPO, 'node_modules'), join(p.root, 'node_modules'));
  codegen(p.model, { root: p.root, modelFile: join(p.root, basename(modelFile)) });
  const module = (await import(join(p.root, CLIENT_DIR, 'client.ts'))) as { PrismaClient: PrismaClientClass };
  return module.PrismaClient;
}

type PrismaClientClass = new (options: { adapter: ReturnType<Database['adapter']> }) => PrismaClient;

/**
 * A copy of the repository as a fresh clone has it after `npm ci`: the files git tracks (and new
 * ones not ignored), the compiled CLI without any generated Prisma client, node_modules linked.
 * Commands run in it change nothing in the repository.
 */
export function freshClone(): string {
  const root = tempDir('ecom-clone-');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8' });
  for (const file of files.split('\0').filter((f) => f && existsSync(join(REPO, f)) && !f.startsWith('node_modules'))) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    cpSync(join(REPO, file), join(root, file));
  }
  cpSync(join(REPO, 'dist'), join(root, 'dist'), { recursive: true, filter: (src) => !src.startsWith(join(REPO, 'dist/src/generated')) });
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  return root;
}
