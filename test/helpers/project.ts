import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { codegen } from '../../src/codegen/codegen.ts';
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
