import type { Faker } from '@faker-js/faker';
import type { ResolvedColumn, ResolvedModel, ResolvedTable } from '../../model/resolve.ts';
import type { Column, Generator, Model, Table } from '../../model/schema.ts';
import type { ColumnType } from '../../model/types.ts';
import type { Value } from '../engine.ts';
import type { Rng } from '../random.ts';
import type { CanonRow } from '../verify/canonical.ts';
import type { Relation } from '../verify/relation.ts';
import type { Where } from './draw.ts';

/** The generator of one kind, e.g. `GeneratorOf<'range'>`. */
export type GeneratorOf<K extends Generator['kind']> = Extract<Generator, { kind: K }>;

/**
 * Everything ecom knows about one generator kind: how the model's use of it is checked, how it
 * computes cells, how `ecom verify` re-checks what it promises, and the facts others ask of it.
 */
export interface GeneratorKind<G extends Generator> {
  /** Reports what is wrong with `g` on its column; `at` is the JSON pointer of `g`. */
  check(g: G, at: string, cx: CheckContext): void;
  /** True when no two rows can get the same value: what a unique column needs. */
  cannotRepeat(g: G): boolean;
  /** Columns of the same row that `g` reads; the model must not make them depend on each other in a circle. */
  rowDependencies(g: G): string[];
  /** Generators nested in `g`, with their pointers relative to it: checked, and counted in its facts, like `g`. */
  nested?(g: G): [path: string, generator: Generator][];
  /** The context its nested generators are checked in, when not its own (an array's elements: the element type). */
  nestedContext?(cx: CheckContext): CheckContext;
  /** The function the engine calls for every cell of the column. Called once per column: hoist work out of the closure. */
  compile(g: G, cx: CompileContext): Produce;
  /** For kinds whose value is the parent row's key: how rows are given parent rows (and NULLs). */
  parentLayout?(g: G, column: ResolvedColumn): ParentLayout;
  /** The child table's foreign key whose children `g` reads per parent; they must be contiguous. */
  childKey?(g: G): { table: string; via: string };
  /** Re-checks, on the rows read back from one destination of the table, the rule `g` generated. */
  verify?(g: G, cx: VerifyContext): Promise<void>;
}

export interface CheckContext {
  model: Model;
  table: Table;
  column: Column;
  /** The column's parsed type. */
  type: ColumnType;
  columnOf(table: string, column: string): Column | undefined;
  typeOf(table: string, column: string): ColumnType | undefined;
  /** What this table's foreign-key column `name` references; reports at `pointer` when `name` is not one. */
  foreignKey(name: string, pointer: string): Column['references'];
  add(pointer: string, message: string, hint?: string): void;
}

/** Computes one cell from its 0-based row index and the cell's own random stream. */
export type Produce = (row: number, rng: Rng) => Value;

export interface CompileContext {
  model: ResolvedModel;
  column: ResolvedColumn;
  /** The rows of the column's table. */
  rows: RowSource;
  /** The rows of any table. */
  table(name: string): RowSource;
  faker: Faker;
  /** A Faker drawing from the same per-cell streams as `faker`, in another locale ("de", "fr_CA"). */
  fakerFor(locale: string): Faker;
  /**
   * The key of a random stream that every column of this table naming it shares: (seed, table,
   * name). With `rngAt(key, row)` the columns of a row draw the same values (an address's parts).
   */
  streamKey(name: string): number;
  /** The model's reference "now". */
  now: Date;
  /** Inside byRef cases, its foreign key: `list` numbers rows among the siblings of that parent. */
  groupVia: string | undefined;
  /** Compiles a generator nested in this one, for the same column (or, for an array's elements, `column`). */
  compile(g: Generator, groupVia: string | undefined, column?: ResolvedColumn): Produce;
  /** The generator ecom gives a column the model gives none (for an array column: an array of the elements' default). */
  defaultGenerator(column: ResolvedColumn): Generator;
}

/** A table's rows as the engine computes them, cell by cell. */
export interface RowSource {
  readonly count: number;
  value(row: number, column: string): Value;
  /** The column of the row that foreign key `fk` of `row` references (null when the key is). */
  refValue(row: number, fk: string, column: string): Value;
  group(fk: string, row: number): Group;
  /** The range [start, end) of the rows whose foreign key `fk` references parent row `parent`. */
  children(fk: string, parent: number): [number, number];
  /** The row of table `from` drawn for `row` (see the "from" of "ref"), shared by the columns that draw from `from`. */
  drawn(from: string, row: number): number;
}

/** The parent row a foreign key of a row references, and the row's position among that parent's children. */
export interface Group {
  parent: number | null;
  ordinal: number;
}

/**
 * How rows of a foreign key are given parent rows: a forest whose first `roots` rows are roots,
 * the row reached by foreign keys `steps` from the row drawn from table `from`, or parents drawn by
 * a spread (partition by default when a parent generator reads its children).
 */
export type ParentLayout =
  | { roots: number; levels?: number }
  | { from: string; steps: string[] }
  | { spread?: 'uniform' | 'skewed' | 'partition' | 'once'; distinctPer?: string; nullRate?: number; where?: Where };

/** A row read back by a verify query: the table's row, and the query's extra columns (`_x0`, `_x1`…) as text. */
export interface VerifiedRow {
  row: CanonRow;
  extra: (string | null)[];
}

/**
 * What a rule's check gets: SQL over the destinations (the database's tables, and temporary tables
 * holding the files' rows), so that nothing it reads grows with the data but what a rule itself
 * keeps (say so where it does).
 */
export interface VerifyContext {
  model: ResolvedModel;
  table: ResolvedTable;
  column: ResolvedColumn;
  /** The table in the destination being checked: each of its destinations is checked in turn. */
  rel: Relation;
  /** Any table as read back from its first destination (PostgreSQL when it is there). */
  relOf(table: string): Relation;
  /** `JOIN` to the row that foreign key `via` of row `alias` (of `from`) references, named `as`; and the parent's relation. */
  join(from: Relation, alias: string, via: string, as: string): { sql: string; rel: Relation };
  /** The violating rows of a query whose select list starts with `rel.row(alias)`: at most as many as are reported. */
  violations(sql: string): Promise<VerifiedRow[]>;
  /** Every row of such a query, a batch at a time (rules checked in JavaScript). */
  stream(sql: string, onRows: (rows: VerifiedRow[]) => void): Promise<void>;
  /** Names a row's cell of this column in a violation. */
  where(row: CanonRow): string;
  fail(check: string, where: string, detail: string): void;
}
