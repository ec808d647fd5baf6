import { readFileSync } from 'node:fs';
import { EcomError, type Problem } from '../errors.ts';
import { checkModel } from './check.ts';
import { parseJsonDocument } from './json-document.ts';
import { orderTables } from './graph.ts';
import { resolveModel, type ResolvedModel } from './resolve.ts';
import { checkKeys } from '../seed/layout.ts';
import { checkNames } from './names.ts';
import { modelSchema } from './schema.ts';

export function loadModel(file: string): ResolvedModel {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new EcomError(`cannot read model file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, [], 1, {
      cause: e,
    });
  }
  return parseModel(text, file);
}

/** Parses and validates a model, reporting every problem at once. */
export function parseModel(text: string, source = 'model'): ResolvedModel {
  const doc = parseJsonDocument(text, source);
  if (doc.syntaxProblems.length > 0) throw new EcomError(`${source} is not valid JSON`, doc.syntaxProblems);
  const invalid = (problems: Problem[]) =>
    new EcomError(
      `${source} is not a valid model: ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
      problems.map(doc.locate),
    );
  const parsed = modelSchema.safeParse(doc.value);
  if (!parsed.success) {
    throw invalid(
      parsed.error.issues.map((i) => ({ pointer: toPointer(i.path), message: i.message, ...(hintFor(i) ? { hint: hintFor(i)! } : {}) })),
    );
  }
  const { problems, edges } = checkModel(parsed.data);
  const ordered = orderTables(
    parsed.data.tables.map((t) => t.name),
    edges,
  );
  if (!ordered.ok) {
    const e = ordered.edges[0]!;
    const ti = parsed.data.tables.findIndex((t) => t.name === e.from);
    const ci = parsed.data.tables[ti]!.columns.findIndex((c) => c.name === e.column);
    problems.push({
      pointer: `/tables/${ti}/columns/${ci}/references`,
      message: `foreign keys form a cycle whose every key is part of its table's primary key, so none can be loaded as NULL and set after: ${[...ordered.cycle, ordered.cycle[0]].join(' → ')}`,
      hint: `reference a key outside the primary key, or drop one of these foreign keys: ${ordered.edges.map((x) => `${x.from}.${x.column}`).join(', ')}`,
    });
  }
  if (problems.length > 0 || !ordered.ok) throw invalid(problems);
  const model = resolveModel(parsed.data, ordered.order, new Set(ordered.deferred.map((e) => `${e.from}.${e.column}`)));
  // what ecom derives from the model (names, plan) is checked once the model itself is sound
  const derived = [...checkNames(model), ...checkKeys(model, {})];
  if (derived.length > 0) throw invalid(derived);
  return model;
}

function toPointer(path: PropertyKey[]): string {
  return path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

function hintFor(issue: { code: string; path: PropertyKey[]; keys?: string[] }): string | undefined {
  const last = issue.path.at(-1);
  if (issue.code === 'unrecognized_keys' && issue.keys?.includes('foreignKeys'))
    return 'composite foreign keys are not supported: reference a single-column primary key or unique column (add a surrogate key to the parent table)';
  if (issue.code === 'unrecognized_keys') return 'remove the key or check its spelling against ecom-model.schema.json';
  if (last === 'destination') return 'use postgres, csv, json or api';
  if (last === 'kind') return 'see "generate" in ecom-model.schema.json for the generator kinds';
  return undefined;
}
