import type { Value } from '../engine.ts';
import { describeType, isTemporal, isTimeOfDay, type ColumnType } from '../../model/types.ts';
import { formatTime, parseTime } from './coerce.ts';
import { checkPath, compilePath, drawCandidates, pathReader } from './draw.ts';
import type { GeneratorKind, GeneratorOf } from './kind.ts';

const DAY = 86_400_000;

type Timeline = GeneratorOf<'after'> | GeneratorOf<'before'>;

/** Dates and timestamps (not times of day, which wrap at midnight). */
const isDated = (t: ColumnType) => isTemporal(t) && !isTimeOfDay(t);

/**
 * A timestamp after (or before) every referenced timestamp — shipped after ordered, returned after
 * rented — at least `minDays` and at most `maxDays` away: timestamps of rows referenced by a
 * foreign key (`via`), of the row drawn from a table (`from`), or of this row (`column` alone).
 * `after` stays at or before the model's "now" when it can: when the referenced timestamp is at or
 * past it already, the values are spread over the window after it.
 */
export function timeline(kind: Timeline['kind']): GeneratorKind<Timeline> {
  const sign = kind === 'after' ? 1 : -1;
  return {
    check(g, at, { model, table, column, type, typeOf, foreignKey, add }) {
      const needs = 'a date, datetime, timestamp or timestamptz';
      if (!isDated(type)) add(at, `"${kind}" needs ${needs} column, and "${column.name}" is ${describeType(type)}`);
      if (g.minDays !== undefined && g.minDays >= g.maxDays) add(`${at}/minDays`, `minDays ${g.minDays} is not below maxDays ${g.maxDays}`);
      g.refs.forEach((r, i) => {
        const here = `${at}/refs/${i}`;
        if ('from' in r) {
          const drawn = table.columns.some((c) => c.generate?.kind === 'ref' && c.generate.from?.table === r.from);
          if (!drawn) {
            add(
              `${here}/from`,
              `no foreign key of "${table.name}" draws rows from "${r.from}"`,
              `give a foreign key the generator { "kind": "ref", "from": { "table": "${r.from}", "path": … } }`,
            );
            return;
          }
          const end = checkPath(model, r.from, r.column, `${here}/column`, add);
          if (end && !isDated(typeOf(end.table.name, end.column.name)!))
            add(`${here}/column`, `"${end.table.name}.${end.column.name}" is not ${needs}`);
          return;
        }
        const owner = 'via' in r ? foreignKey(r.via, `${here}/via`)?.table : table.name;
        if (!owner) return;
        const src = typeOf(owner, r.column);
        if (!src) add(`${here}/column`, `column "${r.column}" does not exist in table "${owner}"`);
        else if (!isDated(src)) add(`${here}/column`, `"${owner}.${r.column}" is not ${needs}`);
        else if (!('via' in r) && r.column === column.name) add(`${here}/column`, `"${column.name}" cannot be ${kind} itself`);
      });
    },
    cannotRepeat: () => false,
    rowDependencies: (g) => g.refs.flatMap((r) => ('via' in r ? [r.via] : 'from' in r ? [] : [r.column])),
    compile(g, { model, column, rows, table, now: nowDate }) {
      const now = nowDate.getTime();
      const sources = g.refs.map((r): ((row: number) => Value) => {
        if ('via' in r) return (row) => rows.refValue(row, r.via, r.column);
        if (!('from' in r)) return (row) => rows.value(row, r.column);
        const value = compilePath(model, table, r.from, r.column);
        return (row) => value(rows.drawn(r.from, row));
      });
      // strictly after (before): a day for dates, a minute for timestamps
      const gap = (g.minDays ?? 0) * DAY + (column.type.base === 'date' ? DAY : 60_000);
      return (row, rng) => {
        let base = Number.NaN;
        for (const source of sources) {
          const v = source(row);
          if (v === null) continue;
          const t = parseTime(String(v));
          if (Number.isNaN(base) || sign * (t - base) > 0) base = t; // the latest (after) or earliest (before)
        }
        if (Number.isNaN(base)) base = now - 365 * DAY * (sign > 0 ? 1 : 0); // nothing referenced: within the year before now
        const near = base + sign * gap;
        const far = base + sign * g.maxDays * DAY;
        // up to "now" when the window reaches it; past it only when the referenced timestamp already is,
        // spread over the window all the same (never one instant for every such row)
        const end = sign > 0 && near < now ? Math.min(now, far) : far;
        return formatTime(near + rng.next() * (end - near), column.type);
      };
    },
    verify(g, { model, table, column, rows, rowsOf, referenced, where, fail }) {
      const c = column.index;
      const gap = (g.minDays ?? 0) * DAY;
      const wrong = (v: string | null | undefined, r: (string | null)[]) =>
        v != null && r[c] !== null && sign * (parseTime(r[c]!) - parseTime(v)) <= gap;
      const by = g.minDays ? ` by ${g.minDays} days` : '';
      const check = `rule ${kind}`;
      for (const ref of g.refs) {
        if (!('from' in ref)) {
          const source =
            'via' in ref
              ? referenced(ref.via, ref.column)
              : {
                  label: `${table.name}.${ref.column}`,
                  of: (r: (string | null)[]) => r[table.columns.find((x) => x.name === ref.column)!.index],
                };
          for (const r of rows)
            if (wrong(source.of(r), r)) fail(check, where(r), `${r[c]} is not ${kind} ${source.label} ${source.of(r)}${by}`);
          continue;
        }
        // some drawn row that fits the row's keys must be early (late) enough (which one was drawn is not stored)
        const candidates = drawCandidates(model, table, ref.from, rowsOf);
        const read = pathReader(model, rowsOf, ref.from, ref.column);
        for (const r of rows) {
          const drawn = candidates.of(r).map(read);
          if (drawn.length > 0 && drawn.every((v) => wrong(v, r)))
            fail(check, where(r), `${r[c]} is not ${kind} ${ref.from} ${ref.column}${by} of any ${ref.from} row it can come from`);
        }
      }
    },
  };
}

export const after: GeneratorKind<GeneratorOf<'after'>> = timeline('after');
