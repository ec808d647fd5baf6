/**
 * HTML built from trusted markup and escaped values. Every interpolation into `html` is escaped unless
 * it is itself Html (a fragment built the same way), so user data (values, descriptions, names) can
 * never become markup: the one mechanism the page, its charts and the diagram use.
 */
export class Html {
  constructor(readonly text: string) {}
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

export type Interpolation = Html | string | number | null | undefined | false | readonly Interpolation[];

function render(v: Interpolation): string {
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Markup that is trusted as it is (the page's own stylesheet). */
export const raw = (text: string) => new Html(text);

/** Numbers in SVG coordinates: one decimal, no noise. */
export const px = (n: number) => String(Math.round(n * 10) / 10);
