import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvRecordError, CsvRecordSplitter } from '../../src/seed/verify/csv-records.ts';
import { parseCsv } from '../../src/seed/verify/files.ts';

/** Feeds `text` in chunks cut at `cuts`; returns the records, or the error. */
function split(text: string, cuts: number[] = []): (string | null)[][] | CsvRecordError {
  const splitter = new CsvRecordSplitter();
  const records: (string | null)[][] = [];
  const emit = (r: (string | null)[]) => records.push(r);
  const bounds = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  try {
    let from = 0;
    for (const to of [...bounds, text.length]) {
      splitter.push(text.slice(from, to), emit);
      from = to;
    }
    splitter.end(emit);
    return records;
  } catch (e) {
    if (e instanceof CsvRecordError) return e;
    throw e;
  }
}

const field = fc.option(fc.string({ unit: fc.constantFrom('a', 'é', '😀', '"', ',', '\r', '\n', '\r\n', ' ', 'x') }), { nil: null });

describe('the CSV record splitter', () => {
  it('reads what csv-parse reads, whatever the quoting, line breaks and chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.tuple(field, fc.boolean()), { minLength: 1, maxLength: 5 }), { maxLength: 8 }),
        fc.constantFrom('\r\n', '\n'),
        fc.boolean(),
        fc.array(fc.nat()),
        (records, eol, trailing, cuts) => {
          const text =
            records
              .map((r) =>
                r.map(([v, quote]) => (v === null ? '' : quote || !/^[^",\r\n]+$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(','),
              )
              .join(eol) + (trailing && records.length > 0 ? eol : '');
          expect(split(text, cuts)).toEqual(parseCsv(text));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('refuses what is not CSV, with the line', () => {
    const error = (text: string) => {
      const r = split(text);
      return r instanceof CsvRecordError ? `${r.line}: ${r.message}` : r;
    };
    expect(error('a,b\r\n1,"open\r\n')).toBe('2: a quote is not closed');
    expect(error('a,b\r\n1,x"y\r\n')).toBe('2: a quote inside an unquoted field');
    expect(error('a,b\n"1"x,2\n')).toBe('2: unexpected "x" after a closing quote');
    expect(error('a\rb')).toBe('1: a carriage return not followed by a line feed');
    expect(split('"a\nb",c\r\n""\r\n')).toEqual([['a\nb', 'c'], ['']]);
  });
});
