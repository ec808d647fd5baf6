import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum, type SqlDriverAdapter, type SqlQuery } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import type * as EngineBindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { Database } from './database.ts';

/**
 * Prisma's schema engine compiled to WebAssembly. It needs no native binary, so migrations work in
 * air-gapped CI. The package targets bundlers, hence the manual instantiation below.
 */
let bindings: Promise<typeof EngineBindings> | undefined;

function loadBindings() {
  bindings ??= (async () => {
    const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const entry = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm');
    const wasmPath = join(dirname(entry), 'schema_engine_bg.wasm');
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), {
      './schema_engine_bg.js': bg as unknown as WebAssembly.ModuleImports,
    });
    const exports = instance.exports as WebAssembly.Exports & { __wbindgen_start(): void };
    bg.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
    return bg;
  })();
  return bindings;
}

export interface OpenEngine {
  engine: SchemaEngine;
  /** The database's own error from the last failed migration script (the engine's message drops it). */
  scriptError(): Error | undefined;
}

/**
 * The engine runs migration scripts through the adapter's executeScript, which the adapters get
 * wrong: pglite-prisma-adapter 0.7 does not await the script (a failed migration would be recorded
 * as applied) and @prisma/adapter-pg splits it at every ';' into separate transactions. Scripts run
 * through `db.exec` instead, whole, in one implicit transaction, so a failure leaves nothing
 * half-applied; the database's error is kept because the engine's message drops it.
 */
export async function openSchemaEngine(db: Database, schema: string): Promise<OpenEngine> {
  const bg = await loadBindings();
  let scriptError: Error | undefined;
  const adapter = db.adapter();
  const connect = adapter.connect.bind(adapter);
  adapter.connect = async () => {
    const conn = await connect();
    typeCharColumns(conn);
    conn.executeScript = async (script: string) => {
      try {
        await db.exec(script);
      } catch (e) {
        scriptError = e as Error;
        throw e;
      }
    };
    return conn;
  };
  const log = () => {};
  const engine = await bg.SchemaEngine.new({ datamodels: [['schema.prisma', schema]] }, log, bindMigrationAwareSqlAdapterFactory(adapter));
  return { engine, scriptError: () => scriptError };
}

/** PostgreSQL's one-byte "char" type (pg_constraint.contype, pg_class.relkind…). */
const CHAR_OID = 18;
const TEXT_OID = 25;

/**
 * @prisma/adapter-pg 7 has no column type for the catalog's "char" columns, which the engine reads
 * to describe a live database: diffing from one fails with "Column type 'char' could not be
 * deserialized". node-postgres already returns them as one-character strings, so they pass the
 * adapter as text and reach the engine typed as characters, as PGlite's adapter types them.
 */
function typeCharColumns(conn: SqlDriverAdapter): void {
  if (conn.adapterName !== '@prisma/adapter-pg') return;
  const io = conn as SqlDriverAdapter & { performIO(query: SqlQuery): Promise<{ fields: { dataTypeID: number }[] }> };
  const performIO = io.performIO.bind(io);
  const queryRaw = io.queryRaw.bind(io);
  const charColumns = new WeakMap<SqlQuery, number[]>();
  io.performIO = async (query) => {
    const result = await performIO(query);
    const columns = result.fields.flatMap((f, i) => (f.dataTypeID === CHAR_OID ? [i] : []));
    for (const i of columns) result.fields[i]!.dataTypeID = TEXT_OID;
    if (columns.length > 0) charColumns.set(query, columns);
    return result;
  };
  io.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const i of charColumns.get(query) ?? []) result.columnTypes[i] = ColumnTypeEnum.Character;
    return result;
  };
}
