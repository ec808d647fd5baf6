import type { ResolvedColumn } from '../../model/resolve.ts';
import { describeType, isNumeric } from '../../model/types.ts';
import { formatUnits, multiply, parseDecimal, rescale } from '../decimal.ts';
import type { GeneratorKind, GeneratorOf } from './kind.ts';

/** Σ over a parent's children of the product of child columns, e.g. an order's total. */
export const sum: GeneratorKind<GeneratorOf<'sum'>> = {
  check(g, at, { model, table, column, type, typeOf, add }) {
    const child = model.tables.find((t) => t.name === g.table);
    if (!child) {
      add(`${at}/table`, `sum over missing table "${g.table}"`);
      return;
    }
    const fk = child.columns.find((c) => c.name === g.via);
    if (!fk || fk.references?.table !== table.name) add(`${at}/via`, `"${g.table}.${g.via}" is not a foreign key to "${table.name}"`);
    g.multiply.forEach((m, i) => {
      const mt = typeOf(g.table, m);
      if (!mt) add(`${at}/multiply/${i}`, `column "${m}" does not exist in table "${g.table}"`);
      else if (!isNumeric(mt)) add(`${at}/multiply/${i}`, `"${g.table}.${m}" is not numeric`);
    });
    if (!isNumeric(type)) add(at, `"sum" needs a numeric column, and "${column.name}" is ${describeType(type)}`);
  },
  cannotRepeat: () => false,
  rowDependencies: () => [],
  childKey: (g) => ({ table: g.table, via: g.via }),
  compile(g, { column, table }) {
    const child = table(g.table);
    const scale = scaleOf(column);
    const decimal = column.type.base === 'decimal';
    const factor = (i: number, k: number) => {
      const v = child.value(i, g.multiply[k]!);
      return typeof v === 'bigint' ? v.toString() : String(v);
    };
    return (row) => {
      const [start, end] = child.children(g.via, row);
      const total = sumOfProducts(start, end, g.multiply.length, factor, scale);
      return decimal ? formatUnits(total, scale) : Number(total);
    };
  },
  async verify(g, { rel, column, relOf, violations, where, fail }) {
    const child = relOf(g.table);
    const fk = child.column(g.via);
    const key = rel.column(fk.ref!.column);
    const scale = scaleOf(column);
    // each row's product rounded to the scale, half away from zero, as sumOfProducts does
    const product = ['1::numeric', ...g.multiply.map((m) => `${child.value('k', child.column(m))}::numeric`)].join(' * ');
    const expected = `round(COALESCE(s.total, 0), ${scale})`;
    const rows = await violations(
      `SELECT ${rel.row('r')}, ${expected}::text AS _x0 FROM ${rel.as('r')}
       LEFT JOIN (SELECT ${child.value('k', fk)} AS key, sum(round(${product}, ${scale})) AS total FROM ${child.as('k')} GROUP BY 1) s
         ON s.key = ${rel.value('r', key)}
       WHERE ${rel.value('r', column)}::numeric IS DISTINCT FROM ${expected}`,
    );
    for (const { row, extra } of rows)
      fail('rule sum', where(row), `${row[column.index]} ≠ sum of ${g.table} ${g.multiply.join(' × ')} = ${extra[0]}`);
  },
};

function scaleOf(column: ResolvedColumn): number {
  return column.type.base === 'decimal' ? column.type.scale : 0;
}

/**
 * The rule both generation and verification compute: Σ over rows [start, end) of the exact product
 * of `factors` decimal texts `factor(row, k)`, each product rounded to `scale` digits, in units of 10^-scale.
 */
function sumOfProducts(start: number, end: number, factors: number, factor: (row: number, k: number) => string, scale: number): bigint {
  let total = 0n;
  for (let i = start; i < end; i++) {
    let p = parseDecimal('1');
    for (let k = 0; k < factors; k++) p = multiply(p, parseDecimal(factor(i, k)));
    total += rescale(p, scale);
  }
  return total;
}
