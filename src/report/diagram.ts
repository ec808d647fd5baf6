import { cachedJson } from '../cache.ts';
import type { ElkExtendedEdge, ElkNode, ElkPoint } from 'elkjs/lib/elk-api.js';
import { html, px, type Html } from './html.ts';
import type { TableReport } from './types.ts';

/**
 * The ER diagram: one box per table (its columns, types, keys and destinations), one edge per foreign
 * key from the referenced column to the referencing one. elkjs lays it out (layered, parents to the
 * left, cycles and self-references routed around); the SVG is drawn here.
 */

const CHAR = 7.3; // advance of the 12px monospace font
const HEAD_CHAR = 8; // 13px bold
const HEAD = 28;
const ROW = 18;
const PAD = 8;
/** Width of the PK/FK column: wider in tables where a column is both. */
const markWidth = (t: TableReport) => (t.columns.some((c) => c.primaryKey && c.references) ? 40 : 24);
const BADGE_GAP = 4;

export const DESTINATION_LABELS: Record<string, string> = { postgres: 'PG', csv: 'CSV', json: 'JSON', api: 'API' };

export interface DiagramLayout {
  width: number;
  height: number;
  nodes: { table: TableReport; x: number; y: number; width: number; height: number }[];
  edges: { from: string; to: string; nullable: boolean; deferred: boolean; self: boolean; points: ElkPoint[] }[];
}

const badgeWidth = (d: string) => DESTINATION_LABELS[d]!.length * 6.5 + 8;

function nodeWidth(t: TableReport): number {
  const head = PAD + t.name.length * HEAD_CHAR + 12 + t.destinations.reduce((a, d) => a + badgeWidth(d) + BADGE_GAP, 0) + PAD;
  const rows = t.columns.map((c) => PAD + markWidth(t) + (c.name.length + (c.nullable ? 1 : 0) + 2 + c.type.length) * CHAR + PAD);
  return Math.ceil(Math.max(head, ...rows, 120));
}

const portId = (table: string, column: string, side: 'w' | 'e') => `${table}.${column}.${side}`;

export async function layoutDiagram(tables: TableReport[]): Promise<DiagramLayout> {
  const children: ElkNode[] = tables.map((t) => {
    const width = nodeWidth(t);
    return {
      id: t.name,
      width,
      height: HEAD + t.columns.length * ROW,
      layoutOptions: { 'elk.portConstraints': 'FIXED_POS' },
      ports: t.columns.flatMap((c, i) => {
        const y = HEAD + i * ROW + ROW / 2;
        return [
          { id: portId(t.name, c.name, 'w'), x: 0, y, width: 0, height: 0, layoutOptions: { 'elk.port.side': 'WEST' } },
          { id: portId(t.name, c.name, 'e'), x: width, y, width: 0, height: 0, layoutOptions: { 'elk.port.side': 'EAST' } },
        ];
      }),
    };
  });
  const keys = tables.flatMap((t) => t.columns.filter((c) => c.references).map((c) => ({ t, c, ref: c.references! })));
  const edges: ElkExtendedEdge[] = keys.map(({ t, c, ref }) => ({
    id: `${t.name}.${c.name}`,
    sources: [portId(ref.table, ref.column, 'e')],
    targets: [portId(t.name, c.name, 'w')],
  }));
  const root: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.layered.spacing.nodeNodeBetweenLayers': '64',
      'elk.layered.spacing.edgeNodeBetweenLayers': '20',
      'elk.spacing.nodeNode': '28',
      'elk.spacing.edgeEdge': '10',
      'elk.spacing.componentComponent': '40',
      'elk.padding': '[top=20,left=20,bottom=20,right=20]',
    },
    children,
    edges,
  };
  // the layout depends on the model alone: laid out once per model, then read from the cache
  const graph = await cachedJson('diagram', root, async () => {
    // a CommonJS module whose exports also carry themselves as `default`, which is what its typings describe
    const ELK = (await import('elkjs/lib/elk.bundled.js')).default.default;
    return new ELK().layout(root);
  });
  const byName = new Map(tables.map((t) => [t.name, t]));
  return {
    width: graph.width ?? 0,
    height: graph.height ?? 0,
    nodes: (graph.children ?? []).map((n) => ({ table: byName.get(n.id)!, x: n.x ?? 0, y: n.y ?? 0, width: n.width!, height: n.height! })),
    edges: (graph.edges ?? []).map((e, i) => {
      const { t, c, ref } = keys[i]!;
      const s = e.sections?.[0];
      return {
        from: `${t.name}.${c.name}`,
        to: `${ref.table}.${ref.column}`,
        nullable: c.nullable,
        deferred: ref.deferred,
        self: ref.table === t.name,
        points: s ? [s.startPoint, ...(s.bendPoints ?? []), s.endPoint] : [],
      };
    }),
  };
}

/** The laid-out diagram as inline SVG; each table box links to its section of the page. */
export function renderDiagram(layout: DiagramLayout): Html {
  return html`<svg
    class="er"
    xmlns="http://www.w3.org/2000/svg"
    width="${px(layout.width)}"
    height="${px(layout.height)}"
    viewBox="0 0 ${px(layout.width)} ${px(layout.height)}"
    role="img"
    aria-label="Entity-relationship diagram"
  >
    <defs>
      ${marker('er-one', '-2 -7 14 14', 'M7,-6 L7,6')} ${marker('er-many', '-12 -7 14 14', 'M-10,0 L0,-6 M-10,0 L0,6 M-10,0 L0,0')}
    </defs>
    ${layout.edges.map(edge)} ${layout.nodes.map(node)}
  </svg>`;
}

/** An edge end: "one" (a bar) at the referenced table, "many" (a crow's foot) at the referencing one. */
function marker(id: string, viewBox: string, path: string): Html {
  return html`<marker
    id="${id}"
    viewBox="${viewBox}"
    markerWidth="14"
    markerHeight="14"
    refX="0"
    refY="0"
    orient="auto"
    markerUnits="userSpaceOnUse"
    ><path d="${path}" class="er-mark"
  /></marker>`;
}

function edge(e: DiagramLayout['edges'][number]): Html {
  const d = e.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(p.x)},${px(p.y)}`).join(' ');
  const cls = ['er-edge', e.nullable ? 'optional' : '', e.deferred ? 'cycle' : '', e.self ? 'self' : ''].filter(Boolean).join(' ');
  const note = e.deferred
    ? ` (closes a cycle: loaded as NULL${e.nullable ? '' : ', its NOT NULL suspended'}, then set)`
    : e.self
      ? ' (self-reference)'
      : '';
  return html`<g class="${cls}" data-from="${e.from}" data-to="${e.to}"
    ><title>${e.from} → ${e.to}${note}</title><path d="${d}" marker-start="url(#er-one)" marker-end="url(#er-many)"
  /></g> `;
}

function node(n: DiagramLayout['nodes'][number]): Html {
  const t = n.table;
  let bx = n.width - PAD;
  const badges = [...t.destinations].reverse().map((d) => {
    const w = badgeWidth(d);
    bx -= w;
    const b = html`<g class="badge ${d}"
      ><rect x="${px(bx)}" y="7" width="${px(w)}" height="14" rx="3" /><text x="${px(bx + w / 2)}" y="17.5"
        >${DESTINATION_LABELS[d]}</text
      ></g
    >`;
    bx -= BADGE_GAP;
    return b;
  });
  const rows = t.columns.map((c, i) => {
    const y = HEAD + i * ROW;
    const mark = [c.primaryKey ? 'PK' : '', c.references ? 'FK' : ''].filter(Boolean).join(' ');
    return html`<g class="er-row"
      ><rect x="0" y="${y}" width="${px(n.width)}" height="${ROW}" /><text class="mark" x="${PAD}" y="${y + 13}">${mark}</text
      ><text class="name${c.primaryKey ? ' pk' : ''}" x="${PAD + markWidth(t)}" y="${y + 13}">${c.name}${c.nullable ? '?' : ''}</text
      ><text class="type" x="${px(n.width - PAD)}" y="${y + 13}">${c.type}</text></g
    >`;
  });
  return html`<a href="#table-${t.name}"
    ><g class="er-node" data-table="${t.name}" transform="translate(${px(n.x)},${px(n.y)})"
      ><title>${t.name}: ${t.destinations.join(' + ')}</title
      ><rect class="box" width="${px(n.width)}" height="${px(n.height)}" rx="4" /><text class="head" x="${PAD}" y="19">${t.name}</text
      >${badges.reverse()}${rows}</g
    ></a
  > `;
}
