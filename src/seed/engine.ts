import { Faker, en } from '@faker-js/faker';
import { EcomError } from '../errors.ts';
import { fakerMethod } from '../model/faker-method.ts';
import type { ResolvedColumn, ResolvedModel, ResolvedTable } from '../model/resolve.ts';
import type { Generator } from '../model/schema.ts';
import { isTemporal } from '../model/types.ts';
import { formatUnits, fromNumber, multiply, parseDecimal, rescale } from './decimal.ts';
import { defaultGenerator } from './defaults.ts';
import { cellKey, columnBase, Rng } from './random.ts';
import type { OverrideContext } from './seeder.ts';
import { parseTemplate, type TemplatePart } from './template.ts';

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
const DAY = 86_400_000;
const SUFFIX = / (\d+)$/;

/**
 * Computes any cell of any table on demand from (seed, table, column, row). Tables are independent
 * pure functions of the row index, so rows can be produced in batches, in any order, in parallel.
 */
export class Engine {
  readonly faker: Faker;
  private readonly rng: { current: Rng };
  private readonly sources = new Map<string, TableSource>();

  constructor(
    readonly model: ResolvedModel,
    readonly options: EngineOptions,
  ) {
    const holder = { current: new Rng() };
    this.rng = holder;
    this.faker = new Faker({ locale: [en], randomizer: { next: () => holder.current.next(), seed: (s) => holder.current.seed(s) } });
    for (const t of model.tables) this.sources.set(t.name, new TableSource(this, t, options.counts[t.name] ?? t.count));
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
    const rng = new Rng();
    rng.seed(key);
    this.rng.current = rng;
    try {
      return fn(rng);
    } finally {
      this.rng.current = saved;
    }
  }
}

interface Group {
  parent: number | null;
  ordinal: number;
}

export class TableSource {
  private readonly cells = new Map<string, Cell>();
  private readonly groups = new Map<string, (row: number) => Group>();
  private readonly cache = new Map<number, Map<string, Value>>();
  private static readonly CACHE_ROWS = 2048;

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
    let rowCache = this.cache.get(index);
    const hit = rowCache?.get(column);
    if (hit !== undefined || rowCache?.has(column)) return hit!;
    const v = this.cell(column)(index);
    if (!rowCache) {
      if (this.cache.size >= TableSource.CACHE_ROWS) this.cache.delete(this.cache.keys().next().value!);
      rowCache = new Map();
      this.cache.set(index, rowCache);
    }
    rowCache.set(column, v);
    return v;
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

  /** Child index range [start, end) of a parent, for a foreign key generated as a partition. */
  children(fk: string, parentIndex: number): [number, number] {
    const offsets = this.partition(this.table.columns.find((c) => c.name === fk)!);
    return [offsets[parentIndex]!, offsets[parentIndex + 1]!];
  }

  private cell(column: string): Cell {
    let c = this.cells.get(column);
    if (!c) {
      c = this.compileColumn(this.table.columns.find((x) => x.name === column)!);
      this.cells.set(column, c);
    }
    return c;
  }

  private compileColumn(col: ResolvedColumn): Cell {
    const engine = this.engine;
    const base = columnBase(engine.options.seed, this.table.name, col.name);
    const override = engine.options.overrides?.[this.table.name]?.[col.name];
    if (override) {
      return (row) =>
        engine.withRng(cellKey(base, row), () => {
          const v = override({
            index: row,
            faker: engine.faker,
            get: (c) => this.value(row, c),
            ref: (fk, c) => this.refValue(row, fk, c),
          });
          return v === null || v === undefined ? null : coerce(v, col); // Dates, Decimals → ecom's value forms
        });
    }
    const gen = col.def.generate ?? defaultGenerator(col, this.table, this.count);
    const produce = this.compile(gen, col, undefined);
    const nullRate = col.nullable && gen.kind !== 'ref' && gen.kind !== 'tree' ? (col.def.nullRate ?? 0) : 0;
    const limit = col.type.base === 'string' ? col.type.length : undefined;
    return (row) =>
      engine.withRng(cellKey(base, row), (rng) => {
        if (nullRate > 0 && rng.next() < nullRate) return null;
        const v = produce(row, rng);
        return limit !== undefined && typeof v === 'string' && v.length > limit ? v.slice(0, limit) : v;
      });
  }

  /** A referenced row's column, through one of this table's foreign keys. */
  refValue(row: number, fk: string, column: string): Value {
    const col = this.table.columns.find((c) => c.name === fk)!;
    const parent = this.group(fk, row).parent;
    return parent === null ? null : this.engine.source(col.ref!.table).value(parent, column);
  }

  private compile(gen: Generator, col: ResolvedColumn, groupVia: string | undefined): (row: number, rng: Rng) => Value {
    const t = col.type;
    switch (gen.kind) {
      case 'sequence': {
        const start = gen.start ?? 1;
        return t.base === 'bigint' ? (row) => BigInt(start) + BigInt(row) : (row) => start + row;
      }
      case 'uuid':
        return (_row, rng) => uuid(rng);
      case 'faker': {
        const fn = fakerMethod(gen.method, this.engine.faker)!;
        const args = gen.args ?? [];
        return () => coerce(fn(...args), col);
      }
      case 'range':
        return rangeOf(gen, col);
      case 'choice': {
        const total = (gen.weights ?? gen.values.map(() => 1)).reduce((a, b) => a + b, 0);
        const cum: number[] = [];
        let acc = 0;
        for (const w of gen.weights ?? gen.values.map(() => 1)) cum.push((acc += w) / total);
        const values = gen.values.map((v) => coerce(v, col));
        return (_row, rng) => {
          const u = rng.next();
          let i = 0;
          while (i < cum.length - 1 && u >= cum[i]!) i++;
          return values[i]!;
        };
      }
      case 'pattern':
      case 'template': {
        const parts = parseTemplate(gen.kind === 'pattern' ? gen.pattern : gen.template, gen.kind === 'pattern');
        return (row, rng) => coerce(renderTemplate(parts, row, rng, this), col);
      }
      case 'email': {
        const domains = gen.domains ?? ['example.com', 'example.net', 'example.org'];
        return (row, rng) => {
          const local =
            gen.from
              .map((c) => asciiSlug(String(this.value(row, c) ?? '')))
              .filter(Boolean)
              .join('.') || 'user';
          // the row number makes the address unique without a set of every address seen
          return `${local}${row + 1}@${domains[rng.int(domains.length)]}`;
        };
      }
      case 'ref':
      case 'tree':
        return (row) => {
          const parent = this.group(col.name, row).parent;
          return parent === null ? null : this.engine.source(col.ref!.table).value(parent, col.ref!.column);
        };
      case 'copy':
        return (row) => this.refValue(row, gen.via, gen.column);
      case 'after': {
        const now = this.engine.model.now.getTime();
        const dateOnly = t.base === 'date';
        return (row, rng) => {
          let base = Number.NEGATIVE_INFINITY;
          for (const r of gen.refs) {
            const v = this.refValue(row, r.via, r.column);
            if (v !== null) base = Math.max(base, Date.parse(String(v)));
          }
          if (!Number.isFinite(base)) base = now - 365 * DAY;
          const earliest = base + (dateOnly ? DAY : 60_000);
          const latest = Math.max(earliest, Math.min(now, base + gen.maxDays * DAY));
          return formatTime(earliest + rng.next() * (latest - earliest), dateOnly);
        };
      }
      case 'sum': {
        const child = this.engine.source(gen.table);
        const scale = t.base === 'decimal' ? t.scale : 0;
        return (row) => {
          const [start, end] = child.children(gen.via, row);
          let total = 0n;
          for (let i = start; i < end; i++) {
            let p = parseDecimal('1');
            for (const m of gen.multiply) p = multiply(p, parseDecimal(toDecimalText(child.value(i, m))));
            total += rescale(p, scale);
          }
          return t.base === 'decimal' ? formatUnits(total, scale) : Number(total);
        };
      }
      case 'byRef':
      case 'match': {
        const cases = new Map(
          Object.entries(gen.cases).map(([k, g]) => [k, this.compile(g, col, gen.kind === 'byRef' ? gen.via : groupVia)]),
        );
        const fallback = gen.default ? this.compile(gen.default, col, gen.kind === 'byRef' ? gen.via : groupVia) : undefined;
        const where = `${this.table.name}.${col.name}`;
        return (row, rng) => {
          const key = gen.kind === 'byRef' ? this.refValue(row, gen.via, gen.column) : this.value(row, gen.column);
          const text = key === null ? '' : String(key);
          // list values that ran out repeat with a " 2" suffix; they share the base value's case
          const f = cases.get(text) ?? cases.get(text.replace(SUFFIX, '')) ?? fallback;
          if (!f) throw new EcomError(`no case for ${JSON.stringify(key)} in the generator of ${where}`, [], 1);
          return f(row, rng);
        };
      }
      case 'list': {
        const values = gen.values;
        return (row) => {
          const k = groupVia ? this.group(groupVia, row).ordinal : row;
          const round = Math.floor(k / values.length);
          return values[k % values.length]! + (round > 0 ? ` ${round + 1}` : '');
        };
      }
    }
  }

  private compileGroup(col: ResolvedColumn): (row: number) => Group {
    const gen = col.def.generate ?? defaultGenerator(col, this.table, this.count);
    const parentCount = this.engine.count(col.ref!.table);
    if (gen.kind === 'tree') {
      const roots = Math.min(gen.roots, this.count);
      return (row) =>
        row < roots ? { parent: null, ordinal: row } : { parent: (row - roots) % roots, ordinal: Math.floor((row - roots) / roots) };
    }
    const base = columnBase(this.engine.options.seed, this.table.name, `${col.name}#ref`);
    if (this.spreadOf(col, gen) === 'partition') {
      const offsets = this.partition(col);
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
    if (gen.kind === 'ref' && gen.distinctPer) {
      // siblings (same distinctPer parent) take consecutive parents from a random start: no repeats
      const per = gen.distinctPer;
      return (row) => {
        const g = this.group(per, row);
        const start = g.parent === null ? 0 : this.engine.withRng(cellKey(base, g.parent), (rng) => rng.int(parentCount));
        return { parent: (start + g.ordinal) % parentCount, ordinal: row };
      };
    }
    const skewed = gen.kind === 'ref' && gen.spread === 'skewed';
    const nullRate = col.nullable ? (gen.kind === 'ref' ? (gen.nullRate ?? col.def.nullRate ?? 0) : 0) : 0;
    return (row) =>
      this.engine.withRng(cellKey(base, row), (rng) => {
        if (nullRate > 0 && rng.next() < nullRate) return { parent: null, ordinal: row };
        const u = rng.next();
        return { parent: Math.floor((skewed ? u * u : u) * parentCount), ordinal: row };
      });
  }

  /** A sum rule on the parent needs each parent's children contiguous, so it can find them. */
  private spreadOf(col: ResolvedColumn, gen: Generator): string {
    if (gen.kind === 'ref' && gen.spread) return gen.spread;
    const parent = this.engine.model.table(col.ref!.table);
    const summed = parent.columns.some(
      (c) => c.def.generate?.kind === 'sum' && c.def.generate.table === this.table.name && c.def.generate.via === col.name,
    );
    return summed ? 'partition' : 'uniform';
  }

  private partitions = new Map<string, Float64Array>();

  /**
   * Offsets of each parent's children: every parent gets one child (when there are enough), the
   * rest are spread by random weights. O(parents) memory, never O(children).
   */
  private partition(col: ResolvedColumn): Float64Array {
    let offsets = this.partitions.get(col.name);
    if (offsets) return offsets;
    const parents = this.engine.count(col.ref!.table);
    const base = columnBase(this.engine.options.seed, this.table.name, `${col.name}#partition`);
    const weights = new Float64Array(parents);
    let total = 0;
    for (let p = 0; p < parents; p++) {
      const u = this.engine.withRng(cellKey(base, p), (rng) => rng.next());
      weights[p] = u * u * u;
      total += weights[p]!;
    }
    const guaranteed = this.count >= parents ? 1 : 0;
    const extra = this.count - guaranteed * parents;
    offsets = new Float64Array(parents + 1);
    let acc = 0;
    for (let p = 0; p < parents; p++) {
      acc += weights[p]!;
      offsets[p + 1] = (p + 1) * guaranteed + Math.floor((extra * acc) / total);
    }
    offsets[parents] = this.count;
    this.partitions.set(col.name, offsets);
    return offsets;
  }
}

function rangeOf(gen: Extract<Generator, { kind: 'range' }>, col: ResolvedColumn): (row: number, rng: Rng) => Value {
  const t = col.type;
  const skew = gen.skew ?? 1;
  const draw = (rng: Rng) => (skew === 1 ? rng.next() : rng.next() ** skew);
  if (isTemporal(t)) {
    const min = Date.parse(String(gen.min));
    const max = Date.parse(String(gen.max));
    const dateOnly = t.base === 'date';
    return (_row, rng) => formatTime(min + draw(rng) * (max - min), dateOnly);
  }
  const min = Number(gen.min);
  const max = Number(gen.max);
  switch (t.base) {
    case 'int':
      return (_row, rng) => min + Math.floor(draw(rng) * (max - min + 1));
    case 'bigint':
      return (_row, rng) => BigInt(min + Math.floor(draw(rng) * (max - min + 1)));
    case 'decimal':
      return (_row, rng) => fromNumber(min + draw(rng) * (max - min), t.scale);
    default:
      return (_row, rng) => min + draw(rng) * (max - min);
  }
}

function renderTemplate(parts: TemplatePart[], row: number, rng: Rng, source: TableSource): string {
  let out = '';
  for (const p of parts) {
    switch (p.kind) {
      case 'text':
        out += p.text;
        break;
      case 'row':
        out += String(row + 1);
        break;
      case 'column': {
        const v = source.value(row, p.name);
        out += v === null ? '' : String(v);
        break;
      }
      case 'oneOf':
        out += p.options[rng.int(p.options.length)];
        break;
      case 'faker':
        out += String(fakerMethod(p.method, source.engine.faker)!());
        break;
      case 'digit':
        out += String(rng.int(10));
        break;
      case 'letter':
        out += String.fromCharCode(65 + rng.int(26));
        break;
      case 'alnum':
        out += '0123456789abcdefghijklmnopqrstuvwxyz'[rng.int(36)];
        break;
    }
  }
  return out;
}

function formatTime(ms: number, dateOnly: boolean): string {
  const d = new Date(Math.floor(ms / 1000) * 1000).toISOString();
  return dateOnly ? d.slice(0, 10) : d;
}

function uuid(rng: Rng): string {
  const hex = (n: number) =>
    Math.floor(rng.next() * 16 ** n)
      .toString(16)
      .padStart(n, '0');
  const variant = (8 + rng.int(4)).toString(16);
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
}

function asciiSlug(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

function toDecimalText(v: Value): string {
  return typeof v === 'bigint' ? v.toString() : String(v);
}

/** Brings a generator's raw output to the column's value representation. */
function coerce(v: unknown, col: ResolvedColumn): Value {
  switch (col.type.base) {
    case 'int':
      return typeof v === 'number' ? Math.trunc(v) : Number.parseInt(String(v), 10);
    case 'bigint':
      return BigInt(typeof v === 'number' ? Math.trunc(v) : String(v));
    case 'float':
      return Number(v);
    case 'decimal':
      return typeof v === 'number'
        ? fromNumber(v, col.type.scale)
        : formatUnits(rescale(parseDecimal(String(v)), col.type.scale), col.type.scale);
    case 'boolean':
      return v === true || v === 'true';
    case 'date':
    case 'datetime':
      return v instanceof Date ? formatTime(v.getTime(), col.type.base === 'date') : String(v);
    case 'json':
      return typeof v === 'object' && v !== null ? v : { value: v };
    default:
      return v === null || v === undefined ? null : String(v);
  }
}
