import { describe, expect, it } from 'vitest';
import { parseModel } from '../../../src/model/load.ts';
import { Engine } from '../../../src/seed/engine.ts';

describe('faker generator', () => {
  it('counts relative dates (date.past) from the model\'s "now", not from today', () => {
    const model = parseModel(
      JSON.stringify({
        name: 'dates',
        now: '2020-06-01T00:00:00.000Z',
        tables: [
          {
            name: 'events',
            count: 50,
            destination: 'csv',
            primaryKey: ['id'],
            columns: [
              { name: 'id', type: 'int' },
              { name: 'at', type: 'datetime', generate: { kind: 'faker', method: 'date.past' } },
            ],
          },
        ],
      }),
    );
    const values = (seed: number) => {
      const source = new Engine(model, { seed, counts: { events: 50 } }).source('events');
      return Array.from({ length: source.count }, (_, i) => String(source.value(i, 'at')));
    };
    const dates = values(1);
    for (const d of dates) {
      expect(Date.parse(d)).toBeLessThan(Date.parse('2020-06-01T00:00:00.000Z'));
      expect(Date.parse(d)).toBeGreaterThanOrEqual(Date.parse('2019-06-01T00:00:00.000Z'));
    }
    expect(values(1)).toEqual(dates);
    expect(values(2)).not.toEqual(dates);
  });
});
