import { describeType, isTemporal } from '../../model/types.ts';
import { formatTime } from './coerce.ts';
import type { GeneratorKind, GeneratorOf } from './kind.ts';

const DAY = 86_400_000;

/** A timestamp after every referenced row's timestamp (shipped after ordered), at most `maxDays` later. */
export const after: GeneratorKind<GeneratorOf<'after'>> = {
  check(g, at, { column, type, typeOf, foreignKey, add }) {
    if (!isTemporal(type)) add(at, `"after" needs a date or datetime column, and "${column.name}" is ${describeType(type)}`);
    g.refs.forEach((r, i) => {
      const ref = foreignKey(r.via, `${at}/refs/${i}/via`);
      if (!ref) return;
      const src = typeOf(ref.table, r.column);
      if (!src) add(`${at}/refs/${i}/column`, `column "${r.column}" does not exist in table "${ref.table}"`);
      else if (!isTemporal(src)) add(`${at}/refs/${i}/column`, `"${ref.table}.${r.column}" is not a date or datetime`);
    });
  },
  cannotRepeat: () => false,
  rowDependencies: (g) => g.refs.map((r) => r.via),
  compile(g, { column, rows, now: nowDate }) {
    const now = nowDate.getTime();
    const dateOnly = column.type.base === 'date';
    return (row, rng) => {
      let base = Number.NEGATIVE_INFINITY;
      for (const r of g.refs) {
        const v = rows.refValue(row, r.via, r.column);
        if (v !== null) base = Math.max(base, Date.parse(String(v)));
      }
      if (!Number.isFinite(base)) base = now - 365 * DAY; // no referenced timestamp: within the year before now
      const earliest = base + (dateOnly ? DAY : 60_000);
      const latest = Math.max(earliest, Math.min(now, base + g.maxDays * DAY));
      return formatTime(earliest + rng.next() * (latest - earliest), dateOnly);
    };
  },
  verify(g, { column, rows, referenced, where, fail }) {
    const c = column.index;
    for (const ref of g.refs) {
      const source = referenced(ref.via, ref.column);
      for (const r of rows) {
        const v = source.of(r);
        if (v != null && r[c] !== null && Date.parse(r[c]!) <= Date.parse(v))
          fail('rule after', where(r), `${r[c]} is not after ${source.label} ${v}`);
      }
    }
  },
};
