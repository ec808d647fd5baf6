import { fanOutChart, formatCount, histogramChart, topValuesChart } from './charts.ts';
import { DESTINATION_LABELS, renderDiagram, type DiagramLayout } from './diagram.ts';
import { html, raw, type Html } from './html.ts';
import type { ColumnReport, Report, TableReport } from './types.ts';

/**
 * The report as one self-contained HTML page: styles inline, charts and diagram as inline SVG, no
 * script and nothing loaded from anywhere, so it works from file:// and offline. A pure function of
 * the figures and the diagram's layout: the same data gives the same bytes.
 */
export function renderPage(report: Report, layout: DiagramLayout): string {
  const rows = report.tables.reduce((a, t) => a + Math.max(0, ...Object.values(t.rows)), 0);
  const keys = report.tables.reduce((a, t) => a + t.columns.filter((c) => c.references).length, 0);
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>ecom report: ${report.model}</title>
        <style>
          ${raw(STYLE)}
        </style>
      </head>
      <body>
        <header>
          <h1>${report.model} <small>ecom report</small></h1>
          <p class="facts">
            ${report.tables.length} tables · ${formatCount(rows)} rows · ${keys} foreign
            keys${report.seed ? html` · seed ${report.seed.seed} · output version ${report.seed.outputVersion}` : ''}${report.database ? html` · ${report.database}` : ''}
          </p>
          ${verifyBanner(report)}
        </header>
        <nav>
          <ul>
            ${report.tables.map((t) => html`<li><a href="#table-${t.name}">${t.name}</a></li>`)}
          </ul>
        </nav>
        <main>
          <section id="tables">
            <h2>Tables</h2>
            <table class="summary">
              <thead>
                <tr>
                  <th>table</th>
                  <th>destinations</th>
                  <th class="num">rows</th>
                  <th>files</th>
                  <th>verify</th>
                </tr>
              </thead>
              <tbody>
                ${report.tables.map(summaryRow)}
              </tbody>
            </table>
          </section>
          <section id="diagram">
            <h2>Diagram</h2>
            <p class="legend">
              <span class="key solid"></span> foreign key (bar: the referenced key, fork: the referencing rows)
              <span class="key dashed"></span> nullable <span class="key cycle"></span> closes a cycle
              ${report.tables.length > 0 ? html`· destinations ${Object.entries(DESTINATION_LABELS).map(([d, l]) => html`<span class="dest ${d}">${l}</span> `)}` : ''}
            </p>
            <input type="checkbox" id="fit" /><label for="fit">fit to width</label>
            <div class="diagram">${renderDiagram(layout)}</div>
          </section>
          ${report.tables.map(tableSection)}
        </main>
      </body>
    </html> `.text;
}

function verifyBanner(report: Report): Html {
  const v = report.verify;
  const text = {
    passed: html`verify passed: ${formatCount(v.checks)} checks, 0 violations`,
    failed: html`verify failed: ${formatCount(v.violations)} violation${v.violations === 1 ? '' : 's'} in ${formatCount(v.checks)} checks`,
    stale: html`verify last ran on an earlier seed: run <code>ecom verify</code> for this data`,
    missing: html`verify has not run on this data: run <code>ecom verify</code>`,
  }[v.status];
  return html`<p class="verify ${v.status}" data-status="${v.status}">${text}</p>`;
}

const destinations = (t: TableReport) => t.destinations.map((d) => html`<span class="dest ${d}">${DESTINATION_LABELS[d]}</span> `);

const formatBytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`;

function checkStatus(t: TableReport): Html {
  if (t.checks.length === 0) return html`<span class="muted">–</span>`;
  const failed = t.checks.reduce((a, c) => a + c.violations.length, 0);
  const runs = t.checks.reduce((a, c) => a + c.runs, 0);
  return failed > 0
    ? html`<span class="bad">✗ ${failed} violation${failed === 1 ? '' : 's'}</span>`
    : html`<span class="ok">✓ ${runs} checks</span>`;
}

function summaryRow(t: TableReport): Html {
  const rowCounts = Object.entries(t.rows);
  const same = rowCounts.every(([, n]) => n === rowCounts[0]![1]);
  return html`<tr data-table="${t.name}">
    <td><a href="#table-${t.name}">${t.name}</a></td>
    <td>${destinations(t)}</td>
    <td class="num">${same ? formatCount(rowCounts[0]?.[1] ?? 0) : rowCounts.map(([d, n]) => html`${d} ${formatCount(n)} `)}</td>
    <td>${t.files.map((f) => html`${f.path} <span class="muted">${formatBytes(f.bytes)}</span> `)}</td>
    <td>${checkStatus(t)}</td>
  </tr> `;
}

function tableSection(t: TableReport): Html {
  return html`<section class="table" id="table-${t.name}" data-table="${t.name}">
    <h2>${t.name} ${destinations(t)}</h2>
    ${t.description ? html`<p class="description">${t.description}</p>` : ''}
    <dl class="meta">
      <dt>rows</dt>
      <dd>
        ${Object.entries(t.rows).map(([d, n]) => html`<span class="rows" data-destination="${d}" data-rows="${n}">${d} ${formatCount(n)}</span> `)}
      </dd>
      <dt>declared</dt>
      <dd>
        ${t.declared}${t.postgresBecause.length > 0 ? html` <span class="muted">(PostgreSQL copy: referenced by ${t.postgresBecause.join(', ')})</span>` : ''}
      </dd>
      ${
        t.files.length > 0
          ? html`<dt>files</dt>
              <dd>${t.files.map((f) => html`<span class="file" data-bytes="${f.bytes}">${f.path} (${formatBytes(f.bytes)})</span> `)}</dd>`
          : ''
      }
      <dt>profiled</dt>
      <dd>${t.profiledFrom === 'postgres' ? 'with SQL in PostgreSQL' : `by streaming the ${t.profiledFrom.toUpperCase()} file`}</dd>
      <dt>primary key</dt>
      <dd>${t.primaryKey.join(', ')}</dd>
    </dl>
    ${checksList(t)}
    <table class="columns">
      <thead>
        <tr>
          <th>column</th>
          <th>type</th>
          <th class="num">nulls</th>
          <th class="num">distinct</th>
          <th>min</th>
          <th>max</th>
          <th>distribution</th>
        </tr>
      </thead>
      <tbody>
        ${t.columns.map((c) => columnRow(t, c))}
      </tbody>
    </table>
  </section> `;
}

function checksList(t: TableReport): Html {
  if (t.checks.length === 0) return html``;
  return html`<details class="checks" ${t.checks.some((c) => c.violations.length > 0) ? ' open' : ''}>
    <summary>verify: ${checkStatus(t)}</summary>
    <ul>
      ${t.checks.map(
        (c) =>
          html`<li class="${c.violations.length > 0 ? 'bad' : 'ok'}" data-check="${c.check}">
            ${c.violations.length > 0 ? '✗' : '✓'} ${c.check} <span class="muted">× ${c.runs}</span>${
              c.violations.length > 0
                ? html`<ul>
                    ${c.violations.map((v) => html`<li><code>${v.where}</code>: ${v.detail}</li>`)}
                  </ul>`
                : ''
            }
          </li>`,
      )}
    </ul>
  </details>`;
}

const percent = (rate: number) => (rate === 0 ? '0%' : rate < 0.001 ? '<0.1%' : `${(rate * 100).toFixed(1)}%`);

function columnRow(t: TableReport, c: ColumnReport): Html {
  const p = c.profile;
  const flags = [
    c.primaryKey ? html`<span class="flag pk" title="primary key">PK</span>` : '',
    c.references
      ? html`<a class="flag fk" href="#table-${c.references.table}" title="references ${c.references.table}.${c.references.column}"
          >→ ${c.references.table}.${c.references.column}</a
        >`
      : '',
    c.unique ? html`<span class="flag">unique</span>` : '',
  ];
  const value = (v: string | null) =>
    v === null ? html`<span class="muted">–</span>` : html`<span class="value" title="${v}">${v}</span>`;
  const nonNull = p.rows - p.nulls;
  // a foreign key's values say little beyond how they spread over the parents: its fan-out replaces the histogram
  const chart = p.fanOut
    ? html`<div class="chart-label">
          ${t.name} rows per ${p.fanOut.parent}: mean ${p.fanOut.mean.toFixed(2)}, ${p.fanOut.min}–${p.fanOut.max}
        </div>
        ${fanOutChart(p.fanOut, t.name)}`
    : [
        p.histogram ? histogramChart(p.histogram) : '',
        p.top
          ? p.top.values[0]?.count === 1
            ? html`<span class="muted">every value distinct</span>`
            : topValuesChart(p.top, nonNull, p.distinct)
          : '',
      ];
  return html`<tr
    class="column"
    data-column="${c.name}"
    data-nulls="${p.nulls}"
    data-distinct="${p.distinct}"
    data-min="${p.min ?? ''}"
    data-max="${p.max ?? ''}"
  >
    <td class="name"><b>${c.name}</b>${c.nullable ? html`<span class="muted">?</span>` : ''} ${flags}</td>
    <td class="type">${c.type}</td>
    <td class="num">${formatCount(p.nulls)}<br /><span class="muted">${percent(p.nullRate)}</span></td>
    <td class="num">${formatCount(p.distinct)}</td>
    <td>${value(p.min)}</td>
    <td>${value(p.max)}</td>
    <td class="chart-cell">${chart}</td>
  </tr> `;
}

const STYLE = `
:root { --ink: #1f2328; --muted: #6e7781; --line: #d0d7de; --soft: #f6f8fa; --accent: #0969da; --bar: #4c8bf5; --bad: #cf222e; --ok: #1a7f37; --cycle: #d97706; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
header { padding: 20px 28px 8px; border-bottom: 1px solid var(--line); }
h1 { margin: 0 0 4px; font-size: 26px; } h1 small { font-size: 14px; color: var(--muted); font-weight: normal; }
h2 { font-size: 19px; margin: 28px 0 10px; }
.facts { margin: 0; color: var(--muted); }
.verify { display: inline-block; margin: 10px 0 6px; padding: 4px 10px; border-radius: 6px; font-weight: 600; }
.verify.passed { background: #dafbe1; color: var(--ok); } .verify.failed { background: #ffebe9; color: var(--bad); }
.verify.stale, .verify.missing { background: #fff8c5; color: #7d4e00; }
nav { position: sticky; top: 0; z-index: 2; background: #fffc; backdrop-filter: blur(4px); border-bottom: 1px solid var(--line); padding: 6px 28px; }
nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 14px; }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
main { padding: 0 28px 40px; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: 5px 10px 5px 0; vertical-align: top; border-bottom: 1px solid var(--line); }
th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: var(--muted); font-weight: normal; }
.ok { color: var(--ok); } .bad { color: var(--bad); }
.dest { display: inline-block; font: 600 10px/16px ui-monospace, monospace; padding: 0 5px; border-radius: 3px; color: #fff; vertical-align: middle; }
.dest.postgres { background: #336791; } .dest.csv { background: #2da44e; } .dest.json { background: #bf8700; } .dest.api { background: #8250df; }
.legend { color: var(--muted); font-size: 13px; }
.legend .key { display: inline-block; width: 26px; height: 0; border-top: 2px solid #57606a; vertical-align: middle; margin: 0 2px 0 10px; }
.legend .key.dashed { border-top-style: dashed; } .legend .key.cycle { border-top-color: var(--cycle); }
#fit { margin-left: 0; } label[for=fit] { font-size: 13px; color: var(--muted); }
.diagram { overflow: auto; border: 1px solid var(--line); border-radius: 6px; background: var(--soft); max-height: 80vh; margin-top: 6px; }
#fit:checked ~ .diagram svg { width: 100%; height: auto; }
svg.er { display: block; font: 12px ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
svg.er .box { fill: #fff; stroke: #8c959f; }
svg.er .head { font-weight: 700; font-size: 13px; fill: var(--ink); }
svg.er .er-row rect { fill: transparent; } svg.er .er-row:nth-child(odd) rect { fill: #f6f8fa; }
svg.er .er-row:first-of-type rect { stroke: none; }
svg.er .mark { fill: #9a6700; font-size: 10px; font-weight: 700; } svg.er .name { fill: var(--ink); } svg.er .name.pk { font-weight: 700; }
svg.er .type { fill: var(--muted); text-anchor: end; }
svg.er .badge text { fill: #fff; font-size: 10px; font-weight: 700; text-anchor: middle; }
svg.er .badge.postgres rect { fill: #336791; } svg.er .badge.csv rect { fill: #2da44e; } svg.er .badge.json rect { fill: #bf8700; } svg.er .badge.api rect { fill: #8250df; }
svg.er .er-edge path { fill: none; stroke: #57606a; stroke-width: 1.4; }
svg.er .er-edge.optional path { stroke-dasharray: 5 3; }
svg.er .er-edge.cycle path { stroke: var(--cycle); }
svg.er .er-mark { fill: none; stroke: #57606a; stroke-width: 1.4; }
svg.er a:hover .box { stroke: var(--accent); stroke-width: 2; }
section.table { border-top: 2px solid var(--line); margin-top: 30px; }
section { scroll-margin-top: 44px; }
.description { margin: -4px 0 8px; color: var(--muted); }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0 0 10px; }
dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; }
details.checks { margin: 6px 0 12px; } details.checks ul { margin: 4px 0; padding-left: 20px; } details.checks li { list-style: none; }
table.columns { width: 100%; table-layout: fixed; }
table.columns th:nth-child(1) { width: 20%; } table.columns th:nth-child(2) { width: 10%; } table.columns th:nth-child(3), table.columns th:nth-child(4) { width: 7%; }
table.columns th:nth-child(7) { width: 290px; } table.columns td { overflow: hidden; }
table.columns td.name { overflow-wrap: anywhere; } table.columns td.type { font-family: ui-monospace, monospace; font-size: 12px; white-space: nowrap; }
.flag { font-size: 11px; border: 1px solid var(--line); border-radius: 3px; padding: 0 4px; margin-left: 4px; white-space: nowrap; }
.flag.pk { border-color: #d4a72c; color: #9a6700; }
.value { display: inline-block; max-width: 100%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; vertical-align: top; font-family: ui-monospace, monospace; font-size: 12px; }
.chart-cell { width: 280px; }
figure.chart { margin: 0 0 6px; }
figure.chart svg { display: block; overflow: visible; }
figure.chart rect { fill: var(--bar); }
figure.chart rect:hover { fill: var(--accent); }
figure.chart figcaption { display: flex; justify-content: space-between; width: 260px; font-size: 11px; color: var(--muted); }
figure.chart.top figcaption { display: block; }
figure.chart.fan-out rect { fill: #8250df; }
figure.top text { font-size: 11px; fill: var(--ink); } figure.top .label { text-anchor: end; } figure.top .count { fill: var(--muted); }
.chart-label { font-size: 11px; color: var(--muted); }
code { font-family: ui-monospace, monospace; font-size: 12px; background: var(--soft); padding: 0 3px; border-radius: 3px; }
@media print { nav { position: static; } .diagram { max-height: none; overflow: visible; } }
`;
