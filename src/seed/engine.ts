import { allLocales, base as baseLocale, Faker, en } from '@faker-js/faker';
import type { ResolvedColumn, ResolvedModel, ResolvedTable } from '../model/resolve.ts';
import type { Generator } from '../model/schema.ts';
import { defaultGenerator } from './defaults.ts';
import { coerce, fitToType } from './generators/coerce.ts';
import { compileDraw, compileWalk, drawWhere } from './generators/draw.ts';
import { kindOf } from './generators/index.ts';
import type { CompileContext, Group, RowSource } from './generators/kind.ts';
import { generatorOf, layoutOf, levelStarts, type Layout } from './layout.ts';
import { cellKey, columnBase, Rng } from './random.ts';
import type { OverrideContext } from './seeder.ts';

/** A generated value: decimals, dates and uuids as strings, bigints as bigint, json as objects. */
export type Value = string | number | boolean | bigint | null | object;
export type Row = Record<string, Value>;

/** A user override (prisma/seeders/overrides) in the engine's untyped form. */
export type ColumnOverride = (ctx: OverrideContext<Row>) => unknown;
export type Overrides = Record<string, Record<string, ColumnOverride | undefined> | undefined>;

export interface EngineOptions {
  seed: number;
  /** Row count per table (after --scale and --count). */
  counts: Record<string, number>;
  overrides?: Overrides;
}

type Cell = (row: number) => Value;

/**
 * A column's recently computed cells, direct-mapped by row: a row's columns read each other, and
 * a parent's generators read its children. Allocates nothing per cell (a Map per row did, and its
 * garbage cost more than the lookups saved).
 */
class CachedCell {
  // a power of two; small on purpose: a cached value that lives long gets promoted to V8's old
  // generation, and a big cache made every cell old-generation garbage (measured: more CPU, more RSS)
  private static readonly SLOTS = 64;
  private readonly rows = new Float64Array(CachedCell.SLOTS).fill(-1);
  private readonly values: Value[] = new Array<Value>(CachedCell.SLOTS).fill(null);

  constructor(private readonly compute: Cell) {}

  get(row: number): Value {
    const slot = row & (CachedCell.SLOTS - 1);
    if (this.rows[slot] === row) return this.values[slot]!;
    const v = this.compute(row);
    this.rows[slot] = row;
    this.values[slot] = v;
    return v;
  }
}

/**
 * Computes any cell of any table on demand from (seed, table, column, row). Tables are independent
 * pure functions of the row index, so rows can be produced in batches, in any order, in parallel.
 */
export class Engine {
  readonly faker: Faker;
  private readonly rng: { current: Rng };
  /** One stream per nesting depth of withRng, re-seeded for each cell instead of allocated. */
  private readonly streams: Rng[] = [];
  private depth = 0;
  private readonly sources = new Map<string, TableSource>();
  private readonly fakers = new Map<string, Faker>();

  constructor(
    readonly model: ResolvedModel,
    readonly options: EngineOptions,
  ) {
    this.rng = { current: new Rng() };
    this.faker = this.fakerFor('en');
    for (const t of model.tables) this.sources.set(t.name, new TableSource(this, t, options.counts[t.name] ?? t.count));
  }

  /** A Faker in `locale` (falling back to English) that draws from the current cell's stream. */
  fakerFor(locale: string): Faker {
    let f = this.fakers.get(locale);
    if (!f) {
      const holder = this.rng;
      const definitions = locale === 'en' ? [en] : [allLocales[locale as keyof typeof allLocales], en, baseLocale];
      f = new Faker({ locale: definitions, randomizer: { next: () => holder.current.next(), seed: (s) => holder.current.seed(s) } });
      // date.past(), date.recent()… count from the model's "now", not today: same output on any day
      f.setDefaultRefDate(this.model.now);
      this.fakers.set(locale, f);
    }
    return f;
  }

  source(table: string): TableSource {
    return this.sources.get(table)!;
  }

  count(table: string): number {
    return this.source(table).count;
  }

  /** Runs `fn` with a fresh random stream, restoring the caller's stream after. */
  withRng<T>(key: number, fn: (rng: Rng) => T): T {
    const saved = this.rng.current;
    const rng = (this.streams[this.depth] ??= new Rng());
    rng.seed(key);
    this.rng.current = rng;
    this.depth++;
    try {
      return fn(rng);
    } finally {
      this.depth--;
      this.rng.current = saved;
    }
  }
}

export class TableSource implements RowSource {
  private readonly cells = new Map<string, CachedCell>();
  private readonly groups = new Map<string, (row: number) => Group>();

  constructor(
    readonly engine: Engine,
    readonly table: ResolvedTable,
    readonly count: number,
  ) {}

  /** One whole row, columns in model order. */
  row(index: number): Row {
    const out: Row = {};
    for (const c of this.table.columns) out[c.name] = this.value(index, c.name);
    return out;
  }

  value(index: number, column: string): Value {
    return this.cell(column).get(index);
  }

  /** The parent row index a foreign key points at, and this row's position among its siblings. */
  group(fk: string, index: number): Group {
    let g = this.groups.get(fk);
    if (!g) {
      g = this.compileGroup(this.table.columns.find((c) => c.name === fk)!);
      this.groups.set(fk, g);
    }
    return g(index);
  }

  /** Child index range [start, end) of a parent, for a foreign key generated as a partition or one-to-one. */
  children(fk: string, parentIndex: number): [number, number] {
    const col = this.table.columns.find((c) => c.name === fk)!;
    const layout = this.layout(col);
    if (layout.kind === 'oneToOne') {
      const child = this.permutation(col).inverse()[parentIndex]!;
      return child < this.count ? [child, child + 1] : [0, 0];
    }
    const offsets = this.partition(col, layout.kind === 'partition' ? layout.cap : Infinity);
    return [offsets[parentIndex]!, offsets[parentIndex + 1]!];
  }

  private cell(column: string): CachedCell {
    let c = this.cells.get(column);
    if (!c) {
      c = new CachedCell(this.compileColumn(this.table.columns.find((x) => x.name === column)!));
      this.cells.set(column, c);
    }
    return c;
  }

  private compileColumn(col: ResolvedColumn): Cell {
    const engine = this.engine;
    const base = columnBase(engine.options.seed, this.table.name, col.name);
    const override = engine.options.overrides?.[this.table.name]?.[col.name];
    const fit = fitToType(col.type) ?? ((v: Value) => v);
    if (override) {
      return (row) =>
        engine.withRng(cellKey(base, row), () => {
          const v = override({
            index: row,
            faker: engine.faker,
            get: (c) => this.value(row, c),
            ref: (fk, c) => this.refValue(row, fk, c),
          });
          return v === null || v === undefined ? null : fit(coerce(v, col)); // Dates, Decimals → ecom's value forms
        });
    }
    const gen = this.generatorOf(col);
    const kind = kindOf(gen);
    const produce = kind.compile(gen, this.compileContext(col, undefined));
    // the generator of a foreign key draws its NULLs together with the parent row (see group)
    const nullRate = col.nullable && !kind.parentLayout ? (col.def.nullRate ?? 0) : 0;
    return (row) =>
      engine.withRng(cellKey(base, row), (rng) => {
        if (nullRate > 0 && rng.next() < nullRate) return null;
        return fit(produce(row, rng));
      });
  }

  /** A referenced row's column, through one of this table's foreign keys. */
  refValue(row: number, fk: string, column: string): Value {
    const col = this.table.columns.find((c) => c.name === fk)!;
    const parent = this.group(fk, row).parent;
    return parent === null ? null : this.engine.source(col.ref!.table).value(parent, column);
  }

  private generatorOf(col: ResolvedColumn): Generator {
    return generatorOf(this.engine.model, col, this.engine.options.counts);
  }

  private readonly layouts = new Map<string, Layout>();

  private layout(col: ResolvedColumn): Layout {
    let layout = this.layouts.get(col.name);
    if (!layout) {
      layout = layoutOf(this.engine.model, col, this.engine.options.counts);
      this.layouts.set(col.name, layout);
    }
    return layout;
  }

  /** The row of table `from` drawn for `row`: one draw per table drawn from, shared by the columns using it. */
  drawn(from: string, row: number): number {
    let draw = this.draws.get(from);
    if (!draw) {
      const engine = this.engine;
      const key = columnBase(engine.options.seed, this.table.name, `#from:${from}`);
      draw = compileDraw(engine.model, (name) => engine.source(name), this.table.name, from, drawWhere(this.table, from), key);
      this.draws.set(from, draw);
    }
    return draw(row);
  }

  private readonly draws = new Map<string, (row: number) => number>();

  private compileContext(column: ResolvedColumn, groupVia: string | undefined): CompileContext {
    const engine = this.engine;
    return {
      model: engine.model,
      column,
      rows: this,
      table: (name) => engine.source(name),
      faker: engine.faker,
      fakerFor: (locale) => engine.fakerFor(locale),
      streamKey: (name) => columnBase(engine.options.seed, this.table.name, `#${name}`),
      now: engine.model.now,
      groupVia,
      compile: (g, via, of = column) => kindOf(g).compile(g, this.compileContext(of, via)),
      defaultGenerator: (of) => defaultGenerator(of, this.table, this.count),
    };
  }

  private compileGroup(col: ResolvedColumn): (row: number) => Group {
    const layout = this.layout(col);
    const parentCount = this.engine.count(col.ref!.table);
    const base = columnBase(this.engine.options.seed, this.table.name, `${col.name}#ref`);
    const isNull = (row: number, nullRate: number) =>
      nullRate > 0 && this.engine.withRng(cellKey(base, row), (rng) => rng.next()) < nullRate;
    switch (layout.kind) {
      case 'drawn': {
        const path = compileWalk(this.engine.model, (name) => this.engine.source(name), layout.from, layout.steps);
        return (row) => ({ parent: path.walk(this.drawn(layout.from, row)), ordinal: row });
      }
      case 'tree': {
        const roots = layout.roots;
        // chains: row i's parent is row i - roots, so each row has at most one child
        if (layout.chains) return (row) => (row < roots ? { parent: null, ordinal: row } : { parent: row - roots, ordinal: 0 });
        // a row of level l takes the rows of level l - 1 in turn: (row - start of l) mod (size of l - 1)
        const starts = levelStarts(this.count, roots, layout.levels);
        return (row) => {
          if (row < roots) return { parent: null, ordinal: row };
          let l = 1;
          while (row >= starts[l + 1]!) l++;
          const above = starts[l]! - starts[l - 1]!;
          const k = row - starts[l]!;
          return { parent: starts[l - 1]! + (k % above), ordinal: Math.floor(k / above) };
        };
      }
      case 'filtered': {
        const key = columnBase(this.engine.options.seed, this.table.name, `${col.name}#where`);
        const draw = compileDraw(this.engine.model, (name) => this.engine.source(name), this.table.name, col.ref!.table, layout.where, key);
        return (row) => (isNull(row, layout.nullRate) ? { parent: null, ordinal: row } : { parent: draw(row), ordinal: row });
      }
      case 'oneToOne': {
        const permutation = this.permutation(col);
        return (row) => (isNull(row, layout.nullRate) ? { parent: null, ordinal: row } : { parent: permutation.at(row), ordinal: 0 });
      }
      case 'partition': {
        const offsets = this.partition(col, layout.cap);
        return (row) => {
          let lo = 0;
          let hi = parentCount; // offsets[lo] <= row < offsets[hi]
          while (hi - lo > 1) {
            const mid = (lo + hi) >>> 1;
            if (offsets[mid]! <= row) lo = mid;
            else hi = mid;
          }
          return { parent: lo, ordinal: row - offsets[lo]! };
        };
      }
      case 'distinct': {
        // siblings (same `per` parent, numbered by the partition) take consecutive parents from a random start: no repeats
        const per = layout.per;
        return (row) => {
          const g = this.group(per, row);
          const start = g.parent === null ? 0 : this.engine.withRng(cellKey(base, g.parent), (rng) => rng.int(parentCount));
          return { parent: (start + g.ordinal) % parentCount, ordinal: row };
        };
      }
      case 'random': {
        const { skewed, nullRate } = layout;
        return (row) =>
          this.engine.withRng(cellKey(base, row), (rng) => {
            if (nullRate > 0 && rng.next() < nullRate) return { parent: null, ordinal: row };
            const u = rng.next();
            return { parent: Math.floor((skewed ? u * u : u) * parentCount), ordinal: row };
          });
      }
    }
  }

  private permutations = new Map<string, Permutation>();

  /** A random permutation of the parent rows of a one-to-one key: row i takes parent `at(i)`. */
  private permutation(col: ResolvedColumn): Permutation {
    let p = this.permutations.get(col.name);
    if (!p) {
      const parents = this.engine.count(col.ref!.table);
      const key = cellKey(columnBase(this.engine.options.seed, this.table.name, `${col.name}#permutation`), 0);
      p = this.engine.withRng(key, (rng) => new Permutation(parents, rng));
      this.permutations.set(col.name, p);
    }
    return p;
  }

  private partitions = new Map<string, Float64Array>();

  /**
   * Offsets of each parent's children: every parent gets one child (when there are enough), the
   * rest are spread by random weights, and no parent gets more than `cap` (when another key of the
   * row is distinct per parent here): parents over it are held at it and the rest spread again over
   * the others, until none is over. O(parents) memory, never O(children).
   */
  private partition(col: ResolvedColumn, cap: number): Float64Array {
    let offsets = this.partitions.get(col.name);
    if (offsets) return offsets;
    const parents = this.engine.count(col.ref!.table);
    const base = columnBase(this.engine.options.seed, this.table.name, `${col.name}#partition`);
    const weights = new Float64Array(parents);
    for (let p = 0; p < parents; p++) {
      const u = this.engine.withRng(cellKey(base, p), (rng) => rng.next());
      weights[p] = u * u * u;
    }
    const guaranteed = this.count >= parents ? 1 : 0;
    const full = new Uint8Array(parents); // 1: held at the cap
    offsets = new Float64Array(parents + 1);
    for (let over = true; over;) {
      let held = 0;
      let total = 0;
      for (let p = 0; p < parents; p++) {
        if (full[p]) held++;
        else total += weights[p]!;
      }
      const extra = this.count - (held > 0 ? held * cap : 0) - (parents - held) * guaranteed;
      let acc = 0;
      let spread = 0; // floor(extra * acc / total) after the previous parent
      for (let p = 0; p < parents; p++) {
        let size = cap;
        if (!full[p]) {
          acc += weights[p]!;
          const next = acc >= total ? extra : Math.floor((extra * acc) / total);
          size = guaranteed + next - spread;
          spread = next;
        }
        offsets[p + 1] = offsets[p]! + size;
      }
      over = false;
      for (let p = 0; p < parents; p++) {
        if (!full[p] && offsets[p + 1]! - offsets[p]! > cap) {
          full[p] = 1;
          over = true;
        }
      }
    }
    offsets[parents] = this.count;
    this.partitions.set(col.name, offsets);
    return offsets;
  }
}

/**
 * A random permutation of 0…n-1 (Fisher–Yates), drawn once per key: O(n) memory like a partition.
 * The inverse (parent → child) is built only when a parent's generator asks for its child.
 */
class Permutation {
  private readonly forward: Uint32Array;
  private backward: Uint32Array | undefined;

  constructor(n: number, rng: Rng) {
    this.forward = new Uint32Array(n);
    for (let i = 0; i < n; i++) this.forward[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [this.forward[i], this.forward[j]] = [this.forward[j]!, this.forward[i]!];
    }
  }

  at(i: number): number {
    return this.forward[i]!;
  }

  inverse(): Uint32Array {
    if (!this.backward) {
      this.backward = new Uint32Array(this.forward.length);
      this.forward.forEach((p, i) => (this.backward![p] = i));
    }
    return this.backward;
  }
}
