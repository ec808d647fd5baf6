import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_SECTION, dumpDatabase, dumpTablesOf } from '../src/db/dump.ts';
import { migrate } from '../src/db/migrate.ts';
import { OUTPUT_VERSION } from '../src/seed/output-version.ts';
import { plannedCounts, seed } from '../src/seed/seed.ts';
import { checksums } from './helpers/checksums.ts';
import { backends } from './helpers/databases.ts';
import { REPO, scratchProject } from './helpers/project.ts';

/**
 * Byte-identical output per seed is a promise: this pins the digest of every file and table of the
 * default model at seed 42. A change here must be deliberate: bump OUTPUT_VERSION
 * (src/seed/output-version.ts), then rewrite the golden with UPDATE_GOLDEN=1.
 */
const GOLDEN = join(REPO, 'test/golden/output-digest.json');
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

interface Digest {
  outputVersion: number;
  files: Record<string, string>;
  tables: Record<string, string>;
}

describe('output digest of the default model, seed 42', () => {
  const pglite = backends.find((b) => b.name === 'pglite')!;
  let env: Awaited<ReturnType<typeof pglite.fresh>>;
  let p: ReturnType<typeof scratchProject>;
  beforeAll(async () => {
    env = await pglite.fresh();
    p = scratchProject('ecommerce_model.json');
    await migrate(env.db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
  });
  afterAll(async () => {
    await env.db.close();
    await env.drop();
    p.cleanup();
  });

  it('matches test/golden/output-digest.json for this OUTPUT_VERSION', async () => {
    await seed(env.db, p.model, { seed: 42, counts: plannedCounts(p.model), out: p.out, seeders: join(REPO, 'prisma/seeders') });
    await dumpDatabase(env.db, dumpTablesOf(p.model), p.migrationsDir, join(p.out, 'database_dump.sql'));
    const files: Record<string, string> = {};
    for (const dir of ['csv', 'json']) {
      for (const f of readdirSync(join(p.out, dir)).sort()) files[`${dir}/${f}`] = sha256(readFileSync(join(p.out, dir, f)));
    }
    // the dump starts with the migrations and their history, which carry the time they were made
    const dump = readFileSync(join(p.out, 'database_dump.sql'), 'utf8');
    files['database_dump.sql (data)'] = sha256(dump.slice(dump.indexOf(DATA_SECTION)));
    const tables = await checksums(env.db, p.model);
    const manifest = JSON.parse(readFileSync(join(p.out, 'manifest.json'), 'utf8'));
    expect(manifest.outputVersion).toBe(OUTPUT_VERSION);
    const actual: Digest = { outputVersion: OUTPUT_VERSION, files, tables };
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, JSON.stringify(actual, null, 2) + '\n');
    const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Digest;
    expect(golden.outputVersion, 'the output changed: bump OUTPUT_VERSION, then UPDATE_GOLDEN=1').toBe(OUTPUT_VERSION);
    expect(actual, `output of version ${OUTPUT_VERSION} changed: bump OUTPUT_VERSION, then run with UPDATE_GOLDEN=1`).toEqual(golden);
  });
});
