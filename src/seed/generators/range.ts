import { describeType, isNumeric, isTemporal, isTimeOfDay } from '../../model/types.ts';
import { fromNumber } from '../decimal.ts';
import type { Rng } from '../random.ts';
import { coerce, formatTime, parseTime } from './coerce.ts';
import type { GeneratorKind, GeneratorOf, Produce } from './kind.ts';

/** The largest magnitude an integer column holds (bigint values come from safe JavaScript numbers). */
const INTEGER_LIMITS: Partial<Record<string, number>> = { smallint: 32_767, int: 2_147_483_647 };

/** A number or timestamp between two bounds, optionally skewed towards one of them. */
export const range: GeneratorKind<GeneratorOf<'range'>> = {
  check(g, at, { type, column, add }) {
    if (isTemporal(type) && (g.step !== undefined || g.offset !== undefined))
      add(`${at}/${g.step !== undefined ? 'step' : 'offset'}`, '"step" and "offset" round numbers, not dates');
    if (
      g.step !== undefined &&
      typeof g.min === 'number' &&
      typeof g.max === 'number' &&
      Math.ceil(g.min / g.step) > Math.floor(g.max / g.step)
    )
      add(`${at}/step`, `no multiple of ${g.step} lies between ${g.min} and ${g.max}`);
    if (isTemporal(type)) {
      const bad = [g.min, g.max].find((v) => typeof v !== 'string' || Number.isNaN(parseTime(v)));
      const example = isTimeOfDay(type) ? '"09:30" or "17:45:00"' : '"2024-01-01" or "2024-01-01T12:00:00Z"';
      if (bad !== undefined)
        add(
          `${at}/${bad === g.min ? 'min' : 'max'}`,
          `range bound ${JSON.stringify(bad)} is not an ISO date or time`,
          `use e.g. ${example}`,
        );
      else if (parseTime(g.min as string) > parseTime(g.max as string)) add(`${at}/min`, 'range min is after max');
    } else if (isNumeric(type)) {
      if (typeof g.min !== 'number' || typeof g.max !== 'number') add(at, 'range bounds of a numeric column must be numbers');
      else if (g.min > g.max) add(`${at}/min`, `range min ${g.min} is greater than max ${g.max}`, 'swap them');
      else if (type.base in INTEGER_LIMITS && Math.max(Math.abs(g.min), Math.abs(g.max)) > INTEGER_LIMITS[type.base]!)
        add(at, `range ${g.min}..${g.max} does not fit a ${type.base} column`, `stay within ±${INTEGER_LIMITS[type.base]}`);
    } else add(at, `"range" needs a numeric or date column, and "${column.name}" is ${describeType(type)}`);
  },
  cannotRepeat: () => false,
  rowDependencies: () => [],
  compile(g, { column }): Produce {
    const t = column.type;
    const skew = g.skew ?? 1;
    const draw = (rng: Rng) => (skew === 1 ? rng.next() : rng.next() ** skew);
    if (isTemporal(t)) {
      const min = parseTime(String(g.min));
      const max = parseTime(String(g.max));
      return (_row, rng) => formatTime(min + draw(rng) * (max - min), t);
    }
    const min = Number(g.min);
    const max = Number(g.max);
    if (g.step !== undefined || g.offset !== undefined) {
      // prices like 19.99: the nearest multiple of step within [min, max], then the offset
      const step = g.step ?? 1;
      const offset = g.offset ?? 0;
      const lo = Math.ceil(min / step);
      const hi = Math.floor(max / step);
      const out = (v: number) => coerce(v, column);
      return (_row, rng) => out(Math.min(hi, Math.max(lo, Math.round((min + draw(rng) * (max - min)) / step))) * step + offset);
    }
    switch (t.base) {
      case 'int':
      case 'smallint':
        return (_row, rng) => min + Math.floor(draw(rng) * (max - min + 1));
      case 'bigint':
        return (_row, rng) => BigInt(min + Math.floor(draw(rng) * (max - min + 1)));
      case 'decimal':
        return (_row, rng) => fromNumber(min + draw(rng) * (max - min), t.scale);
      default:
        return (_row, rng) => min + draw(rng) * (max - min);
    }
  },
};
