import type { Problem } from '../errors.ts';
import { uniqueAlone, uniqueKeys, type UniqueKey } from '../model/keys.ts';
import type { ResolvedColumn, ResolvedModel, ResolvedTable } from '../model/resolve.ts';
import type { Generator } from '../model/schema.ts';
import { describeType, integerMax, isInteger, isJson, textLimit } from '../model/types.ts';
import { defaultGenerator } from './defaults.ts';
import { cannotRepeat, kindOf } from './generators/index.ts';
import type { ParentLayout } from './generators/kind.ts';
import type { Where } from './generators/draw.ts';
import { rowSeparator } from './generators/template.ts';

/**
 * How the rows of a foreign key are given parent rows:
 * - tree: a self-reference; the first `roots` rows are roots, the others their descendants in
 *   `levels` levels (see levelStarts), each parent taking one child only (`chains`) when the key is unique;
 * - oneToOne: a unique key (or spread "once"); a random permutation of the parents, each used at most once;
 * - filtered: parents drawn among the rows matching `where`;
 * - partition: each parent's children contiguous, at most `cap` of them (another key is distinct per parent);
 * - distinct: parents consecutive from a random start among the rows sharing the `per` key's parent;
 * - random: parents drawn uniformly or skewed, independently per row;
 * - drawn: the parent reached along `steps` from the row of table `from` this row drew (ref "from").
 */
export type Layout =
  | { kind: 'drawn'; from: string; steps: string[] }
  | { kind: 'tree'; roots: number; chains: boolean; levels: number }
  | { kind: 'oneToOne'; nullRate: number }
  | { kind: 'filtered'; where: Where; nullRate: number }
  | { kind: 'partition'; cap: number }
  | { kind: 'distinct'; per: string }
  | { kind: 'random'; skewed: boolean; nullRate: number };

/**
 * Where each level of a tree starts: `levels + 1` row numbers, the first 0 and the last `count`. The
 * first `roots` rows are the roots; the rows after them are split evenly into the other levels (the
 * earlier levels one row more). With 2 levels: roots, then every other row their child.
 */
export function levelStarts(count: number, roots: number, levels: number): number[] {
  const starts = [0, Math.min(roots, count)];
  const rest = count - starts[1]!;
  for (let l = 1; l < levels; l++) starts.push(starts[l]! + Math.floor(rest / (levels - 1)) + (l - 1 < rest % (levels - 1) ? 1 : 0));
  return starts;
}

/** The most children a row of a tree has (not chains): a level's rows spread over the rows of the level before. */
function mostChildren(starts: number[]): number {
  let most = 0;
  for (let l = 1; l + 1 < starts.length; l++) {
    const parents = starts[l]! - starts[l - 1]!;
    if (parents > 0) most = Math.max(most, Math.ceil((starts[l + 1]! - starts[l]!) / parents));
  }
  return most;
}

/** Row counts per table, as seeded. */
export type Counts = Record<string, number>;

/** A column's generator: the model's, or the default ecom derives from its type, name and keys. */
export function generatorOf(model: ResolvedModel, col: ResolvedColumn, counts: Counts): Generator {
  const t = model.table(col.table);
  return col.def.generate ?? defaultGenerator(col, t, counts[t.name] ?? t.count);
}

/** The layout of foreign key `col` (the model has passed `checkKeys`). */
export function layoutOf(model: ResolvedModel, col: ResolvedColumn, counts: Counts): Layout {
  return resolve(model, col, counts).layout;
}

/** The generators of the parent table that read each parent's children through `col` (sum). */
function readersOf(model: ResolvedModel, col: ResolvedColumn): ResolvedColumn[] {
  return model.table(col.ref!.table).columns.filter((c) => {
    const key = c.def.generate && kindOf(c.def.generate).childKey?.(c.def.generate);
    return key?.table === col.table && key.via === col.name;
  });
}

/** The layout the generator of foreign key `col` asks for (another kind of generator asks for none). */
function declaredLayout(model: ResolvedModel, col: ResolvedColumn, counts: Counts): ParentLayout {
  const g = generatorOf(model, col, counts);
  return kindOf(g).parentLayout?.(g, col) ?? {};
}

/** Names `b`'s distinct parents per `per` parent: written in the model, or derived for a unique key of both. */
function distinctPerText(t: ResolvedTable, b: ResolvedColumn, per: string): string {
  return b.def.generate
    ? `"${t.name}.${b.name}" is distinctPer "${per}"`
    : `"${t.name}.${b.name}" takes distinct parents per "${per}" parent (for the unique key of both)`;
}

/** A narrower integer key (smallint → int) holds the referenced ids, 1 … the referenced table's count (checkModel). */
function narrowKeyProblems(model: ResolvedModel, c: ResolvedColumn, counts: Counts): Problem[] {
  const referenced = model.table(c.ref!.table).columns.find((x) => x.name === c.ref!.column)!;
  const parents = countOf(model, counts, c.ref!.table);
  if (!isInteger(c.type) || parents <= integerMax(c.type)) return [];
  return [
    {
      pointer: `${pointerOf(model, c)}/type`,
      message: `foreign key "${c.table}.${c.name}" is ${describeType(c.type)} (at most ${integerMax(c.type)}), but "${c.ref!.table}.${referenced.name}" numbers its ${parents} rows up to ${parents}`,
      hint: `declare "${c.name}" as ${describeType(referenced.type)}, or give "${c.ref!.table}" at most ${integerMax(c.type)} rows`,
    },
  ];
}

function pointerOf(model: ResolvedModel, c: ResolvedColumn): string {
  return `/tables/${model.table(c.table).index}/columns/${c.index}`;
}

function resolve(model: ResolvedModel, col: ResolvedColumn, counts: Counts): { layout: Layout; problems: Problem[] } {
  const t = model.table(col.table);
  const g = generatorOf(model, col, counts);
  const declared = declaredLayout(model, col, counts);
  const { spread, distinctPer, nullRate = 0, where } = 'roots' in declared || 'from' in declared ? {} : declared;
  const name = `"${t.name}.${col.name}"`;
  const here = pointerOf(model, col);
  // the keys of this table that take distinct parents among the rows sharing this key's parent
  const siblings = t.foreignKeys.filter((b) => {
    const l = declaredLayout(model, b, counts);
    return 'distinctPer' in l && l.distinctPer === col.name;
  });
  const readers = readersOf(model, col);
  const problems: Problem[] = [];

  let layout: Layout;
  if ('from' in declared) {
    layout = { kind: 'drawn', from: declared.from, steps: declared.steps };
  } else if ('roots' in declared) {
    const roots = Math.min(declared.roots, countOf(model, counts, t.name));
    layout = { kind: 'tree', roots, chains: uniqueAlone(t, col), levels: declared.levels ?? 2 };
  } else if (where) {
    layout = { kind: 'filtered', where, nullRate: col.nullable ? nullRate : 0 };
    if (uniqueAlone(t, col))
      problems.push({
        pointer: `${here}/generate/where`,
        message: `${name} is a unique foreign key, so each parent row is used at most once, which drawing by "where" does not do`,
        hint: 'remove "where", or the uniqueness',
      });
  } else if (uniqueAlone(t, col) || spread === 'once') {
    layout = { kind: 'oneToOne', nullRate: col.nullable ? nullRate : 0 };
    if (spread && spread !== 'once')
      problems.push({
        pointer: `${here}/generate/spread`,
        message: `${name} is a unique foreign key, so each parent row is used at most once, which spread "${spread}" does not do`,
        hint: 'remove "spread"',
      });
  } else if (distinctPer) {
    layout = { kind: 'distinct', per: distinctPer };
  } else if (spread === 'uniform' || spread === 'skewed') {
    layout = { kind: 'random', skewed: spread === 'skewed', nullRate: col.nullable ? nullRate : 0 };
  } else if (spread === 'partition' || siblings.length > 0 || readers.length > 0) {
    layout = { kind: 'partition', cap: Math.min(Infinity, ...siblings.map((b) => countOf(model, counts, b.ref!.table))) };
  } else {
    layout = { kind: 'random', skewed: false, nullRate: col.nullable ? nullRate : 0 };
  }

  // distinctPer needs this key to number the rows sharing a parent; a sum, to keep them contiguous
  const numbersSiblings = layout.kind === 'partition' || layout.kind === 'oneToOne' || layout.kind === 'tree';
  const listsChildren = layout.kind === 'partition' || layout.kind === 'oneToOne';
  const because = !col.def.generate
    ? { pointer: here, what: `its default "${g.kind}" generator`, fix: `give ${name} "generate": { "kind": "ref", "spread": "partition" }` }
    : spread
      ? { pointer: `${here}/generate/spread`, what: `spread "${spread}"`, fix: `use "spread": "partition" on ${name}` }
      : where
        ? { pointer: `${here}/generate/where`, what: '"where"', fix: `remove "where" from ${name}` }
        : distinctPer
          ? { pointer: `${here}/generate/distinctPer`, what: `distinctPer "${distinctPer}"`, fix: `remove "distinctPer" from ${name}` }
          : { pointer: `${here}/generate`, what: `its "${g.kind}" generator`, fix: `generate ${name} with "kind": "ref"` };
  if (!numbersSiblings)
    for (const b of siblings)
      problems.push({
        pointer: because.pointer,
        message: `${distinctPerText(t, b, col.name)}, so ${name} must number the rows sharing a parent (a partition), which ${because.what} does not do`,
        hint: b === col ? `a foreign key cannot be distinctPer itself: name another foreign key of "${t.name}"` : because.fix,
      });
  if (!listsChildren)
    for (const r of readers)
      problems.push({
        pointer: because.pointer,
        message: `"${r.table}.${r.name}" sums the children of each "${r.table}" row through ${name}, so they must be contiguous (a partition), which ${because.what} does not do`,
        hint: because.fix,
      });
  return { layout, problems };
}

function countOf(model: ResolvedModel, counts: Counts, table: string): number {
  return counts[table] ?? model.table(table).count;
}

const NO_REPEATS = 'sequence (int, bigint), uuid, email, list, or a pattern/template containing {row}';

/**
 * Checks that every unique key of every table will hold, before anything is generated: each key
 * has a column that cannot repeat (a generator without repeats, a one-to-one foreign key) or a
 * foreign key that is distinctPer another of the key; the layouts the keys need agree with the
 * model's generators; and the row counts fit (a one-to-one key has at most one row per parent, a
 * distinctPer pair at most one row per combination of parents). `counts` are the rows to seed.
 */
export function checkKeys(model: ResolvedModel, counts: Counts): Problem[] {
  const problems: Problem[] = [];
  for (const t of model.tables) {
    const rows = countOf(model, counts, t.name);
    const layouts = new Map<ResolvedColumn, Layout>();
    for (const c of t.foreignKeys) {
      const r = resolve(model, c, counts);
      problems.push(...r.problems, ...narrowKeyProblems(model, c, counts));
      layouts.set(c, r.layout);
    }
    const count = `/tables/${t.index}/count`;
    for (const [c, layout] of layouts) {
      const parents = countOf(model, counts, c.ref!.table);
      if (layout.kind === 'oneToOne' && rows > parents)
        problems.push({
          pointer: count,
          message: `table "${t.name}" has ${rows} rows, but its unique foreign key "${c.name}" can use each of the ${parents} rows of "${c.ref!.table}" only once`,
          hint: `lower the count of "${t.name}" to at most ${parents}, raise the count of "${c.ref!.table}", or drop the uniqueness of "${c.name}"`,
        });
      if (layout.kind !== 'distinct') continue;
      const per = t.columns.find((x) => x.name === layout.per)!;
      const perLayout = layouts.get(per);
      const perParents = countOf(model, counts, per.ref!.table);
      if (perLayout?.kind === 'partition' && rows > perParents * parents)
        problems.push({
          pointer: count,
          message: `table "${t.name}" has ${rows} rows, but ${distinctPerText(t, c, per.name)}, and there are only ${perParents} × ${parents} = ${perParents * parents} pairs of a "${per.ref!.table}" row and a "${c.ref!.table}" row`,
          hint: `lower the count of "${t.name}" to at most ${perParents * parents}, or raise the count of "${per.ref!.table}" or "${c.ref!.table}"`,
        });
      const siblings =
        perLayout?.kind === 'tree' && !perLayout.chains ? mostChildren(levelStarts(rows, perLayout.roots, perLayout.levels)) : 0;
      if (siblings > parents)
        problems.push({
          pointer: c.def.generate ? `${pointerOf(model, c)}/generate/distinctPer` : pointerOf(model, c),
          message: `up to ${siblings} rows of "${t.name}" share a "${per.name}" parent, but ${distinctPerText(t, c, per.name)} and "${c.ref!.table}" has ${parents} rows`,
          hint: `raise the roots of "${per.name}", lower the count of "${t.name}" or raise the count of "${c.ref!.table}"`,
        });
    }
    for (const key of uniqueKeys(t)) problems.push(...keyProblems(model, t, key, layouts, counts, rows));
  }
  return problems;
}

/** What makes `key` able to repeat, if anything. */
function keyProblems(
  model: ResolvedModel,
  t: ResolvedTable,
  key: UniqueKey,
  layouts: Map<ResolvedColumn, Layout>,
  counts: Counts,
  rows: number,
): Problem[] {
  const json = t.inPostgres ? key.columns.find((c) => isJson(c.type) || c.type.array) : undefined;
  if (json)
    return [
      {
        pointer: key.pointer,
        message: `${key.kind} of table "${t.name}" includes ${describeType(json.type)} column "${json.name}", which cannot be part of a key`,
        hint: `remove "${json.name}" from the key, or make it text`,
      },
    ];
  if (rows <= 1) return []; // a single row repeats nothing
  for (const c of key.columns) {
    const g = generatorOf(model, c, counts);
    const separator =
      g.kind === 'template' ? rowSeparator(g.template, false) : g.kind === 'pattern' ? rowSeparator(g.pattern, true) : undefined;
    const needs = `${separator}${rows}`.length;
    const limit = textLimit(c.type);
    if (limit !== undefined && separator !== undefined && limit < needs)
      return [
        {
          pointer: `${pointerOf(model, c)}/type`,
          message: `"${t.name}.${c.name}" is ${describeType(c.type)}, too short for the row numbers that keep it unique: "${separator}${rows}" needs ${needs} characters`,
          hint: `make it varchar(${needs}) or longer, or lower the count of "${t.name}"`,
        },
      ];
  }
  const alone = (c: ResolvedColumn) => {
    const layout = layouts.get(c);
    return cannotRepeat(generatorOf(model, c, counts)) || layout?.kind === 'oneToOne' || (layout?.kind === 'tree' && layout.chains);
  };
  const distinctPair = (b: ResolvedColumn) => {
    const layout = layouts.get(b);
    return layout?.kind === 'distinct' && key.columns.some((a) => a.name === layout.per);
  };
  if (key.columns.some((c) => alone(c) || distinctPair(c))) return [];
  if (key.columns.length === 1) {
    const c = key.columns[0]!;
    const name = `unique column "${t.name}.${c.name}"`;
    return [
      c.def.generate
        ? {
            pointer: `${pointerOf(model, c)}/generate`,
            message: `${name} uses a "${c.def.generate.kind}" generator, which can repeat values`,
            hint: `use ${NO_REPEATS}`,
          }
        : {
            pointer: key.pointer,
            message: `${name} has no generator, and the default for ${describeType(c.type)} columns can repeat values`,
            hint: `give it a generator that cannot repeat: ${NO_REPEATS}`,
          },
    ];
  }
  const names = key.columns.map((c) => c.name).join(', ');
  return [
    {
      pointer: key.pointer,
      message: `${key.kind} (${names}) of table "${t.name}" can repeat: none of its columns is generated without repeats, and none of its foreign keys is distinctPer another of them`,
      hint: `give one of ${names} a generator that cannot repeat (${NO_REPEATS}), or make one of its foreign keys "distinctPer" another`,
    },
  ];
}
