import { html, px, type Html } from './html.ts';
import type { ColumnProfile, FanOut } from './types.ts';

/** Small inline SVG charts of a column profile; every bar carries its exact figures in a tooltip. */

const WIDTH = 260;
const HEIGHT = 56;
/** Fan-out charts show one bar per number of children up to this many, else bins. */
const MAX_FANOUT_BARS = 30;

export const formatCount = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Vertical bars of equal width; `bars` carry their height and tooltip. */
function columns(kind: string, label: string, bars: { count: number; title: string }[], axis: [string, string]): Html {
  const top = Math.max(1, ...bars.map((b) => b.count));
  const w = WIDTH / bars.length;
  const gap = w > 4 ? 1 : 0;
  return html`<figure class="chart ${kind}">
    <svg width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${label}">
      ${bars.map((b, i) => {
        const h = b.count === 0 ? 0 : Math.max(1, (b.count / top) * (HEIGHT - 2));
        return html`<rect x="${px(i * w)}" y="${px(HEIGHT - h)}" width="${px(Math.max(0.5, w - gap))}" height="${px(h)}"
          ><title>${b.title}</title></rect
        >`;
      })}
    </svg>
    <figcaption><span>${axis[0]}</span><span>${axis[1]}</span></figcaption>
  </figure>`;
}

/** Axis captions of datetimes show the day; tooltips keep the time. */
const day = (v: string) => (/^\d{4}-\d\d-\d\dT/.test(v) ? v.slice(0, 10) : v);

export function histogramChart(bins: NonNullable<ColumnProfile['histogram']>): Html {
  return columns(
    'histogram',
    'histogram',
    bins.map((b) => ({ count: b.count, title: `${b.from === b.to ? b.from : `${b.from} – ${b.to}`}: ${formatCount(b.count)}` })),
    [day(bins[0]!.from), day(bins.at(-1)!.to)],
  );
}

/** Parents by how many rows of `child` reference them. */
export function fanOutChart(f: FanOut, child: string): Html {
  const parentsWith = new Map(f.distribution.map((d) => [d.children, d.parents]));
  const span = f.max - f.min + 1;
  const step = span <= MAX_FANOUT_BARS ? 1 : Math.ceil(span / 20);
  const bars: { count: number; title: string }[] = [];
  for (let lo = f.min; lo <= f.max; lo += step) {
    const hi = Math.min(f.max, lo + step - 1);
    let count = 0;
    for (let k = lo; k <= hi; k++) count += parentsWith.get(k) ?? 0;
    bars.push({ count, title: `${formatCount(count)} × ${f.parent} with ${lo === hi ? lo : `${lo}–${hi}`} ${child} rows` });
  }
  return columns('fan-out', `${child} rows per ${f.parent}`, bars, [`${f.min}`, `${f.max}`]);
}

/** The most frequent values as horizontal bars, scaled to the most frequent; the rest summed up below. */
export function topValuesChart(top: NonNullable<ColumnProfile['top']>, nonNull: number, distinct: number): Html {
  const rowH = 15;
  const labelW = 110;
  const barW = WIDTH - labelW - 44;
  const most = Math.max(1, ...top.values.map((v) => v.count));
  const height = top.values.length * rowH;
  const share = (n: number) => `${nonNull === 0 ? '0.0' : ((n / nonNull) * 100).toFixed(1)}%`;
  const others = distinct - top.values.length;
  return html`<figure class="chart top">
    <svg width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="most frequent values">
      ${top.values.map((v, i) => {
        const y = i * rowH;
        const w = Math.max(1, (v.count / most) * barW);
        const label = v.value === '' ? '(empty)' : v.value.length > 16 ? `${v.value.slice(0, 15)}…` : v.value;
        return html`<g
          ><title>${v.value}: ${formatCount(v.count)} (${share(v.count)})</title
          ><text class="label" x="${labelW - 4}" y="${y + 11}">${label}</text
          ><rect x="${labelW}" y="${y + 2}" width="${px(w)}" height="${rowH - 4}" /><text
            class="count"
            x="${px(labelW + w + 3)}"
            y="${y + 11}"
            >${formatCount(v.count)}</text
          ></g
        >`;
      })}</svg
    >${top.others > 0 ? html`<figcaption>${formatCount(top.others)} more rows (${share(top.others)}) in ${formatCount(others)} other value${others === 1 ? '' : 's'}</figcaption>` : ''}
  </figure>`;
}
