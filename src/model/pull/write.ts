import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { connect } from '../../db/connect.ts';
import { EcomError } from '../../errors.ts';
import { pull, type Approximation } from './pull.ts';

export interface PullFlags {
  output: string;
  schema: string;
  name?: string | undefined;
  force: boolean;
}

/** `ecom pull`: refuses to replace a file without --force, pulls, writes the model whole (temporary file, then rename) and describes it. */
export async function writePulledModel(flags: PullFlags): Promise<{ text: string; json: object }> {
  if (existsSync(flags.output) && !flags.force)
    throw new EcomError(`${flags.output} exists; ecom pull does not replace it`, [
      {
        pointer: 'flags',
        message: `--output ${flags.output} is an existing file`,
        hint: 'pass --force to replace it, or --output another file',
      },
    ]);
  if (!isFolder(dirname(resolve(flags.output))))
    throw new EcomError(`cannot write ${flags.output}: its folder does not exist`, [
      {
        pointer: 'flags',
        message: `--output ${flags.output}: no folder ${dirname(flags.output)}`,
        hint: 'create the folder first, or write elsewhere',
      },
    ]);
  const started = performance.now();
  const db = await connect();
  let result;
  try {
    result = await pull(db, { schema: flags.schema, ...(flags.name ? { name: flags.name } : {}) });
  } finally {
    await db.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const schemaFile = relative(dirname(resolve(flags.output)), resolve('ecom-model.schema.json')) || 'ecom-model.schema.json';
  const model = { $schema: schemaFile.startsWith('.') ? schemaFile : `./${schemaFile}`, ...result.model };
  const temp = `${flags.output}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, JSON.stringify(model, null, 2) + '\n');
    renameSync(temp, flags.output);
  } catch (e) {
    rmSync(temp, { force: true });
    // the error names the temporary file: say what it means for the output instead
    const reason = (e as NodeJS.ErrnoException).code ?? 'an error';
    throw new EcomError(
      `cannot write ${flags.output} (${reason})`,
      [
        {
          pointer: 'flags',
          message: `--output ${flags.output}: the file cannot be written (${reason})`,
          hint: "check the folder's permissions and free space, or write elsewhere",
        },
      ],
      1,
      { cause: e },
    );
  }

  const empty = Object.values(result.rows).every((n) => n === 0);
  const lines = [
    `Pulled ${db.label}, schema ${flags.schema}: ${model.tables.length} tables in ${seconds.toFixed(2)} s → ${flags.output}`,
    ...model.tables.map(
      (t) =>
        `  ${t.name.padEnd(24)} ${String(t.count).padStart(6)} rows${result.rows[t.name] ? '' : ' (inferred)'}  ${t.columns.length} columns`,
    ),
    empty ? 'The database is empty: counts follow the schema (parents fewer than children); change them in the model or with --count.' : '',
    ...reportLines(result.approximations),
    `Next: review ${flags.output} (generators, counts), then \`ecom run --model ${flags.output}\`.`,
  ].filter(Boolean);
  return {
    text: lines.join('\n') + '\n',
    json: {
      file: flags.output,
      database: db.label,
      schema: flags.schema,
      seconds,
      tables: model.tables.length,
      rows: result.rows,
      approximations: result.approximations,
    },
  };
}

/** Whether the path is a folder (a missing path, a file, or a path through a file is not). */
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The report, one entry per kind of approximation with every place it applies (the JSON lists them one by one). */
function reportLines(items: Approximation[]): string[] {
  if (items.length === 0) return ['Nothing approximated: the model says everything the schema does.'];
  const groups = new Map<string, { what: string; kept: string; locations: string[] }>();
  for (const a of items) {
    const key = `${a.what}\u0000${a.kept}`;
    if (!groups.has(key)) groups.set(key, { what: a.what, kept: a.kept, locations: [] });
    groups.get(key)!.locations.push(a.location);
  }
  return [
    `Approximated (${items.length}): what the model cannot say exactly, and what it keeps instead`,
    ...[...groups.values()].map((g) => `  ${g.locations.join(', ')}: ${g.what}\n      → ${g.kept}`),
  ];
}
