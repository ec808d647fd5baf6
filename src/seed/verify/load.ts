import { escapeIdentifier } from 'pg';
import type { ResolvedTable } from '../../model/resolve.ts';
import type { CanonRow } from './canonical.ts';
import { streamRows, type FileProblem } from './files.ts';
import { Relation } from './relation.ts';
import type { VerifySession } from './session.ts';

/** COPY text format for one canonical value. */
function copyText(v: string | null): string {
  if (v === null) return '\\N';
  return /[\\\t\n\r]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : v;
}

/**
 * Streams a table's CSV or JSON file into a temporary table of canonical text columns (named like
 * the table's), a file chunk at a time, so the file's checks run as SQL next to the database's
 * tables: node holds one chunk, PostgreSQL (or PGlite) the rows.
 */
export async function loadFile(
  session: VerifySession,
  t: ResolvedTable,
  file: string,
  problem: FileProblem,
): Promise<{ relation: Relation; rows: number }> {
  const name = `ecom_verify_${t.file}_${t.name}`;
  await session.tx.exec(
    `CREATE TEMP TABLE ${escapeIdentifier(name)} (${t.columns.map((c) => `${escapeIdentifier(c.name)} text`).join(', ')}) ON COMMIT DROP`,
  );
  const copy = session.tx.copy(
    name,
    t.columns.map((c) => c.name),
  );
  let text = '';
  const onRow = (row: CanonRow) => {
    for (let i = 0; i < row.length; i++) text += (i > 0 ? '\t' : '') + copyText(row[i] ?? null);
    text += '\n';
  };
  const flush = async () => {
    if (text === '') return;
    const chunk = text;
    text = '';
    await copy.write(chunk);
  };
  const rows = await streamRows(file, t, problem, onRow, flush);
  await flush();
  await copy.finish();
  await session.tx.exec(`ANALYZE ${escapeIdentifier(name)}`);
  return { relation: new Relation(t, t.file!, name, true), rows };
}
