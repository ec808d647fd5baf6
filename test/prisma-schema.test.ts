import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitPrismaSchema } from '../generators/prisma-schema.ts';
import { renderOutputs } from '../src/codegen/codegen.ts';
import { loadModel } from '../src/model/load.ts';
import { tempDir } from './helpers/cleanup.ts';

const models = {
  ecommerce: 'ecommerce_model.json',
  blog: 'test/fixtures/blog_model.json',
  library: 'test/fixtures/library_model.json',
};

/** `prisma format` on a copy: the generated schema must already be in Prisma's own format. */
function prismaFormat(schema: string): { formatted: string; valid: boolean; output: string } {
  const dir = tempDir('ecom-fmt-');
  const file = join(dir, 'schema.prisma');
  writeFileSync(file, schema);
  const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
  const cli = 'node_modules/prisma/build/index.js';
  const validate = spawnSync(process.execPath, [cli, 'validate', '--schema', file], { env, encoding: 'utf8' });
  spawnSync(process.execPath, [cli, 'format', '--schema', file], { env, encoding: 'utf8' });
  return { formatted: readFileSync(file, 'utf8'), valid: validate.status === 0, output: validate.stdout + validate.stderr };
}

describe.each(Object.entries(models))('schema.prisma for the %s model', (name, file) => {
  const model = loadModel(file);
  const schema = emitPrismaSchema(model, `${name}_model.json`);

  it('matches the golden file', () => {
    expect(schema).toBe(readFileSync(`test/golden/${name}.prisma`, 'utf8'));
  });

  it('is valid and already formatted the way `prisma format` formats it', () => {
    const { formatted, valid, output } = prismaFormat(schema);
    expect(valid, output).toBe(true);
    expect(formatted).toBe(schema);
  });

  it('is deterministic', () => {
    expect(renderOutputs(loadModel(file), file)).toEqual(renderOutputs(loadModel(file), file));
  });
});
