/** Parsed form of `template` and `pattern` generators, compiled once per column. */
export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'row' }
  | { kind: 'column'; name: string }
  | { kind: 'oneOf'; options: string[] }
  | { kind: 'faker'; method: string }
  | { kind: 'digit' }
  | { kind: 'letter' }
  | { kind: 'alnum' };

/**
 * Templates: `{{faker.method}}`, `{column}`, `{row}` (1-based row number), `{a|b|c}` (one of).
 * Patterns add `#` (digit), `?` (letter A-Z) and `*` (letter or digit) outside braces.
 */
export function parseTemplate(source: string, pattern: boolean): TemplatePart[] {
  const parts: TemplatePart[] = [];
  const text = (s: string) => {
    const last = parts.at(-1);
    if (last?.kind === 'text') last.text += s;
    else parts.push({ kind: 'text', text: s });
  };
  const re = /\{\{([^}]+)\}\}|\{([^{}]*)\}/g;
  let at = 0;
  const literal = (s: string) => {
    if (!pattern) return text(s);
    for (const ch of s) {
      if (ch === '#') parts.push({ kind: 'digit' });
      else if (ch === '?') parts.push({ kind: 'letter' });
      else if (ch === '*') parts.push({ kind: 'alnum' });
      else text(ch);
    }
  };
  for (const m of source.matchAll(re)) {
    literal(source.slice(at, m.index));
    at = m.index + m[0].length;
    if (m[1] !== undefined) parts.push({ kind: 'faker', method: m[1].trim() });
    else if (m[2] === 'row') parts.push({ kind: 'row' });
    else if (m[2]!.includes('|')) parts.push({ kind: 'oneOf', options: m[2]!.split('|') });
    else if (/^[a-z][a-z0-9_]*$/.test(m[2]!)) parts.push({ kind: 'column', name: m[2]! });
    else text(m[0]);
  }
  literal(source.slice(at));
  return parts;
}
