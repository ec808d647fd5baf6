// The PGlite floor for `npm run bench`: a plain COPY of pre-rendered COPY-text files into a migrated
// PGlite folder, one transaction, in its own process. Usage: pglite-copy.ts <dir> <files as JSON>.
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';

const [dir, list] = process.argv.slice(2) as [string, string];
const files = JSON.parse(list) as { table: string; columns: string[]; file: string }[];
const db = await PGlite.create(dir);
await db.exec('BEGIN');
for (const f of files) {
  const columns = f.columns.map((c) => `"${c}"`).join(', ');
  await db.query(`COPY "${f.table}" (${columns}) FROM '/dev/blob'`, [], { blob: new Blob([readFileSync(f.file)]) });
}
await db.exec('COMMIT');
await db.close();
