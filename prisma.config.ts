// Prisma's own CLI on ecom's folder: `prisma validate`, `prisma migrate status|deploy` (where a native
// schema engine is present) and `prisma db seed`, which runs `ecom seed`.
import { existsSync, readFileSync } from 'node:fs';
import dotenv from 'dotenv';
import { defineConfig } from 'prisma/config';
import { generatedFrom } from './generators/header.ts';
import { migrationsDirOf } from './src/db/migrate.ts';

dotenv.config({ quiet: true });
const url = process.env.DATABASE_URL;
const schema = 'prisma/schema.prisma';
// Each model has its own migration history: Prisma works on that of the model the schema was generated from.
const modelFile = (existsSync(schema) && generatedFrom(readFileSync(schema, 'utf8'))) || 'ecommerce_model.json';
// (a model file since removed leaves Prisma the default model's history, enough for validate and generate)
const modelName = existsSync(modelFile) ? (JSON.parse(readFileSync(modelFile, 'utf8')) as { name: string }).name : 'ecommerce';

export default defineConfig({
  schema,
  migrations: { path: migrationsDirOf(modelName), seed: 'node bin/run.js seed' },
  // Only migrate/introspect commands need it; generate and validate work without a database.
  ...(url ? { datasource: { url } } : {}),
});
