import { describe, expect, it } from 'vitest';
import { progressReporter, summaryTable } from '../src/cli/progress.ts';
import { parseCsv } from '../src/seed/verify/files.ts';
import { formatUnits, multiply, parseDecimal, rescale } from '../src/seed/decimal.ts';
import { copyLine, csv } from '../src/seed/render.ts';

describe('progress output', () => {
  it('draws a bar with rows/s on a TTY and ends each table with one line', () => {
    let out = '';
    const p = progressReporter('tty', (s) => (out += s));
    p.start('orders', 1000);
    p.advance('orders', 1000);
    p.end('orders', 1000, 0.5);
    expect(out).toMatch(/\r {2}orders +\[█{28}\] 1000\/1000 rows {2}\d+ rows\/s/);
    expect(out).toMatch(/\r\x1b\[K {2}orders +1000 rows {2}0\.50 s {2}2000 rows\/s\n$/);
  });

  it('writes plain lines without control characters when not a TTY, nothing when quiet', () => {
    let lines = '';
    const p = progressReporter('lines', (s) => (lines += s));
    p.start('users', 10);
    p.advance('users', 10);
    p.end('users', 10, 0.01);
    expect(lines).toBe('  users                   10 rows  0.01 s  1000 rows/s\n');
    let quiet = '';
    const q = progressReporter('quiet', (s) => (quiet += s));
    q.start('users', 10);
    q.end('users', 10, 1);
    expect(quiet).toBe('');
  });

  it('summarises tables with a total', () => {
    const table = summaryTable([
      { table: 'users', destinations: ['postgres', 'csv'], rows: 150, seconds: 0.05 },
      { table: 'reviews', destinations: ['csv'], rows: 400, seconds: 0.01 },
    ]);
    expect(table.split('\n').at(-1)).toMatch(/^total +550 +0\.06$/);
  });
});

describe('value formats', () => {
  it('does decimal arithmetic exactly, rounding half away from zero', () => {
    expect(formatUnits(rescale(multiply(parseDecimal('3'), parseDecimal('0.10')), 2), 2)).toBe('0.30');
    expect(formatUnits(rescale(parseDecimal('2.345'), 2), 2)).toBe('2.35');
    expect(formatUnits(rescale(parseDecimal('-2.345'), 2), 2)).toBe('-2.35');
    expect(formatUnits(rescale(parseDecimal('1999999999.99'), 2) * 3n, 2)).toBe('5999999999.97');
  });

  it('reads RFC 4180 CSV, telling NULL (empty) from "" (quoted empty)', () => {
    expect(parseCsv('"a","b,c","d""e"\r\n1,,""\r\n"multi\nline",x,\r\n')).toEqual([
      ['a', 'b,c', 'd"e'],
      ['1', null, ''],
      ['multi\nline', 'x', null],
    ]);
  });

  it('renders CSV as @json2csv did (the bytes OUTPUT_VERSION pins): strings and bigints quoted, numbers and booleans bare, NULL empty', () => {
    const rows = [
      { a: 'say "hi", twice', b: null, c: 1.5, d: true, e: 12345678901234567890n, f: { k: ['x"y', 2] }, g: '' },
      { a: 'multi\nline', b: -0.25, c: 0, d: false, e: null, f: [1, null], g: 'é€' },
    ];
    expect(csv.body(rows, ['a', 'b', 'c', 'd', 'e', 'f', 'g'], true)).toBe(
      '"say ""hi"", twice",,1.5,true,"12345678901234567890","{""k"":[""x\\""y"",2]}",""\r\n' +
        '"multi\nline",-0.25,0,false,,"[1,null]","é€"\r\n',
    );
  });

  it('escapes COPY text fields', () => {
    expect(copyLine({ a: 'tab\there', b: null, c: true, d: 'back\\slash\nnl', e: { k: 1 } }, ['a', 'b', 'c', 'd', 'e'])).toBe(
      'tab\\there\t\\N\tt\tback\\\\slash\\nnl\t{"k":1}\n',
    );
    expect(copyLine({ a: 1, b: 'x' }, ['a', 'b'], new Set(['b']))).toBe('1\t\\N\n');
  });
});
