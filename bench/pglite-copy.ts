// The plain-COPY floor on PGlite: opens a migrated PGlite folder and COPYs pre-rendered CSV files
// into its tables in one transaction. Run as its own process, timed from start to exit like `ecom seed`.
import { readFileSync } from 'node:fs';
import { escapeIdentifier } from 'pg';
import { PGlite } from '@electric-sql/pglite';

const [dir, list] = process.argv.slice(2) as [string, string];
const files = JSON.parse(list) as { table: string; file: string; columns: string[] }[];
const pglite = await PGlite.create(dir);
await pglite.exec('BEGIN');
for (const f of files)
  await pglite.query(
    `COPY ${escapeIdentifier(f.table)} (${f.columns.map(escapeIdentifier).join(', ')}) FROM '/dev/blob' WITH (FORMAT csv)`,
    [],
    { blob: new Blob([readFileSync(f.file)]) },
  );
await pglite.exec('COMMIT');
await pglite.close();
