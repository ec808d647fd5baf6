import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonArrayError, JsonArraySplitter } from '../../src/seed/verify/json-array.ts';

/** Feeds `text` in the given chunks; returns the parsed elements, or the error. */
function split(text: string, cuts: number[] = []): unknown[] | JsonArrayError {
  const splitter = new JsonArraySplitter();
  const elements: unknown[] = [];
  const bounds = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  try {
    let from = 0;
    for (const to of [...bounds, text.length]) {
      splitter.push(text.slice(from, to), (element) => elements.push(JSON.parse(element)));
      from = to;
    }
    splitter.end();
    return elements;
  } catch (e) {
    if (e instanceof JsonArrayError) return e;
    throw e;
  }
}

describe('the JSON array splitter', () => {
  it('gives back every element of any array, however it is formatted and cut into chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue()), fc.constantFrom(undefined, 0, 2, '\t'), fc.array(fc.nat()), (array, indent, cuts) => {
        const text = JSON.stringify(array, null, indent);
        expect(split(text, cuts)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses what is not one array, with the line', () => {
    const error = (text: string) => {
      const r = split(text);
      return r instanceof JsonArrayError ? `${r.line}: ${r.message}` : r;
    };
    expect(error('')).toBe('1: unexpected end of file: the array is not closed');
    expect(error('{"a": 1}')).toBe('1: expected a JSON array of rows ("[")');
    expect(error('[1,\n2,\n]')).toBe('3: unexpected "]": expected a value');
    expect(error('[,1]')).toBe('1: unexpected ",": expected a value');
    expect(error('[1]\n\nx')).toBe('3: unexpected text after the end of the array');
    expect(error('[1, "a]')).toBe('1: unexpected end of file: the array is not closed');
    expect(split(' [ ] \n')).toEqual([]);
    expect(split('["a,]\\"", {"b": [1, {"c": "]"}]}]')).toEqual(['a,]"', { b: [1, { c: ']' }] }]);
  });
});
