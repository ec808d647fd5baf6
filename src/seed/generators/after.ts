import type { Value } from '../engine.ts';
import { describeType, isTemporal } from '../../model/types.ts';
import { formatTime } from './coerce.ts';
import { canonical } from '../verify/canonical.ts';
import { candidatesSql, checkPath, compilePath } from './draw.ts';
import type { GeneratorKind, GeneratorOf } from './kind.ts';

const DAY = 86_400_000;

/**
 * A timestamp after every referenced row's timestamp (shipped after ordered), at least `minDays`
 * and at most `maxDays` later: rows referenced by a foreign key (`via`) or drawn from a table (`from`).
 */
export const after: GeneratorKind<GeneratorOf<'after'>> = {
  check(g, at, { model, table, column, type, typeOf, foreignKey, add }) {
    if (!isTemporal(type)) add(at, `"after" needs a date or datetime column, and "${column.name}" is ${describeType(type)}`);
    if (g.minDays !== undefined && g.minDays >= g.maxDays) add(`${at}/minDays`, `minDays ${g.minDays} is not below maxDays ${g.maxDays}`);
    g.refs.forEach((r, i) => {
      if ('from' in r) {
        const drawn = table.columns.some((c) => c.generate?.kind === 'ref' && c.generate.from?.table === r.from);
        if (!drawn) {
          add(
            `${at}/refs/${i}/from`,
            `no foreign key of "${table.name}" draws rows from "${r.from}"`,
            `give a foreign key the generator { "kind": "ref", "from": { "table": "${r.from}", "path": … } }`,
          );
          return;
        }
        const end = checkPath(model, r.from, r.column, `${at}/refs/${i}/column`, add);
        if (end && !isTemporal(typeOf(end.table.name, end.column.name)!))
          add(`${at}/refs/${i}/column`, `"${end.table.name}.${end.column.name}" is not a date or datetime`);
        return;
      }
      const ref = foreignKey(r.via, `${at}/refs/${i}/via`);
      if (!ref) return;
      const src = typeOf(ref.table, r.column);
      if (!src) add(`${at}/refs/${i}/column`, `column "${r.column}" does not exist in table "${ref.table}"`);
      else if (!isTemporal(src)) add(`${at}/refs/${i}/column`, `"${ref.table}.${r.column}" is not a date or datetime`);
    });
  },
  cannotRepeat: () => false,
  rowDependencies: (g) => g.refs.flatMap((r) => ('via' in r ? [r.via] : [])),
  compile(g, { model, column, rows, table, now: nowDate }) {
    const now = nowDate.getTime();
    const dateOnly = column.type.base === 'date';
    const sources = g.refs.map((r): ((row: number) => Value) => {
      if ('via' in r) return (row) => rows.refValue(row, r.via, r.column);
      const value = compilePath(model, table, r.from, r.column);
      return (row) => value(rows.drawn(r.from, row));
    });
    const gap = (g.minDays ?? 0) * DAY + (dateOnly ? DAY : 60_000);
    return (row, rng) => {
      let base = Number.NEGATIVE_INFINITY;
      for (const source of sources) {
        const v = source(row);
        if (v !== null) base = Math.max(base, Date.parse(String(v)));
      }
      if (!Number.isFinite(base)) base = now - 365 * DAY; // no referenced timestamp: within the year before now
      const earliest = base + gap;
      const latest = Math.max(earliest, Math.min(now, base + g.maxDays * DAY));
      return formatTime(earliest + rng.next() * (latest - earliest), dateOnly);
    };
  },
  async verify(g, cx) {
    const { rel, column, join, violations, where, fail } = cx;
    const mine = rel.value('r', column);
    const days = `interval '${g.minDays ?? 0} days'`;
    const by = g.minDays ? ` + ${g.minDays} days` : '';
    for (const ref of g.refs) {
      if ('via' in ref) {
        const parent = join(rel, 'r', ref.via, 'p');
        const source = parent.rel.column(ref.column);
        const theirs = parent.rel.value('p', source);
        const rows = await violations(
          `SELECT ${rel.row('r')}, ${parent.rel.text('p', source)} AS _x0 FROM ${rel.as('r')} JOIN ${parent.sql}
           WHERE ${mine} IS NOT NULL AND ${theirs} IS NOT NULL AND ${mine}::timestamptz <= ${theirs}::timestamptz + ${days}`,
        );
        for (const { row, extra } of rows)
          fail(
            'rule after',
            where(row),
            `${row[column.index]} is not after ${parent.rel.table.name}.${ref.column} ${canonical(source, extra[0] ?? null)}${by}`,
          );
        continue;
      }
      // some drawn row that fits the row's keys must be early enough (which one was drawn is not stored)
      const candidates = candidatesSql(cx, ref.from, ref.column);
      const keys = candidates.keys.map((_, i) => `k${i}`).join(', ');
      const rows = await violations(
        `SELECT ${rel.row('r')}, to_json(c.earliest) #>> '{}' AS _x0 FROM ${rel.as('r')}
         JOIN (SELECT ${keys}, min(v) AS earliest, bool_and(v IS NOT NULL) AS dated FROM (${candidates.sql}) s GROUP BY ${keys}) c
           ON ${candidates.on}
         WHERE c.dated AND ${mine} IS NOT NULL AND ${mine}::timestamptz <= c.earliest::timestamptz + ${days}`,
      );
      for (const { row, extra } of rows)
        fail(
          'rule after',
          where(row),
          `${row[column.index]} is not after ${ref.from} ${ref.column}${by} of any ${ref.from} row it can come from (the earliest: ${canonical(candidates.valueColumn!, extra[0] ?? null)})`,
        );
    }
  },
};
