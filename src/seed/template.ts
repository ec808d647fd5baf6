import type { Faker } from '@faker-js/faker';
import { fakerMethod } from '../model/faker-method.ts';
import type { RowSource } from './generators/kind.ts';
import type { Rng } from './random.ts';

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

/**
 * One cell's text: `row` is the 0-based row index, `rows` the row's table, `rng` the cell's stream.
 * `choose(k, n)`, when given, picks the option of the k-th `{a|b}` instead of the stream.
 */
export function renderTemplate(
  parts: TemplatePart[],
  row: number,
  rng: Rng,
  rows: RowSource,
  faker: Faker,
  choose?: (k: number, n: number) => number,
): string {
  let out = '';
  let choice = 0;
  for (const p of parts) {
    switch (p.kind) {
      case 'text':
        out += p.text;
        break;
      case 'row':
        out += String(row + 1);
        break;
      case 'column': {
        const v = rows.value(row, p.name);
        out += v === null ? '' : String(v);
        break;
      }
      case 'oneOf':
        out += p.options[choose ? choose(choice++, p.options.length) : rng.int(p.options.length)];
        break;
      case 'faker':
        out += String(fakerMethod(p.method, faker)!());
        break;
      case 'digit':
        out += String(rng.int(10));
        break;
      case 'letter':
        out += String.fromCharCode(65 + rng.int(26));
        break;
      case 'alnum':
        out += '0123456789abcdefghijklmnopqrstuvwxyz'[rng.int(36)];
        break;
    }
  }
  return out;
}
