import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseModel } from '../../src/model/load.ts';
import { plannedCounts, seed } from '../../src/seed/seed.ts';
import { verify } from '../../src/seed/verify.ts';
import { tempDir } from '../helpers/cleanup.ts';

/** The generators of issue 9's real schemas, on JSON tables whose rows the tests then break one rule at a time. */
const model = {
  name: 'rules',
  tables: [
    {
      name: 'staff',
      count: 13,
      destination: 'json',
      primaryKey: ['id'],
      columns: [
        { name: 'id', type: 'int', generate: { kind: 'sequence' } },
        { name: 'role', type: 'enum', values: ['sales agent', 'clerk'], generate: { kind: 'choice', values: ['sales agent', 'clerk'] } },
        {
          name: 'manager_id',
          type: 'int',
          nullable: true,
          references: { table: 'staff', column: 'id' },
          generate: { kind: 'tree', roots: 1, levels: 3 },
        },
        { name: 'hired_at', type: 'timestamp(0)', generate: { kind: 'range', min: '2020-01-01', max: '2024-01-01' } },
        { name: 'interviewed_at', type: 'timestamp(0)', generate: { kind: 'before', refs: [{ column: 'hired_at' }], maxDays: 30 } },
      ],
    },
    {
      name: 'customers',
      count: 20,
      destination: 'json',
      primaryKey: ['id'],
      columns: [
        { name: 'id', type: 'int', generate: { kind: 'sequence' } },
        {
          name: 'rep_id',
          type: 'int',
          references: { table: 'staff', column: 'id' },
          generate: { kind: 'ref', where: { role: ['sales agent'] } },
        },
      ],
    },
    {
      name: 'details',
      count: 10,
      destination: 'json',
      primaryKey: ['id'],
      columns: [
        { name: 'id', type: 'int', generate: { kind: 'sequence' } },
        { name: 'customer_id', type: 'int', references: { table: 'customers', column: 'id' }, generate: { kind: 'ref', spread: 'once' } },
        { name: 'poster', type: 'bytea', generate: { kind: 'bytes', min: 4, max: 8 } },
        {
          name: 'features',
          type: 'text[]',
          generate: { kind: 'array', of: { kind: 'choice', values: ['a', 'b', 'c'] }, min: 1, max: 3, distinct: true },
        },
      ],
    },
    {
      name: 'rentals',
      count: 30,
      destination: 'json',
      primaryKey: ['id'],
      columns: [
        { name: 'id', type: 'int', generate: { kind: 'sequence' } },
        { name: 'rented_at', type: 'timestamp(0)', generate: { kind: 'range', min: '2025-01-01', max: '2025-06-01' } },
        { name: 'returned_at', type: 'timestamp(0)', generate: { kind: 'after', refs: [{ column: 'rented_at' }], maxDays: 10 } },
      ],
    },
  ],
};

type Row = Record<string, any>;

describe('verify re-checks every rule of the new generators, for every row', () => {
  const out = tempDir('ecom-rules-');
  const m = parseModel(JSON.stringify(model), 'rules.json');
  const file = (table: string) => join(out, 'json', `${table}.json`);
  const read = (table: string): Row[] => JSON.parse(readFileSync(file(table), 'utf8'));
  const original = new Map<string, string>();
  beforeAll(async () => {
    await seed(undefined, m, { seed: 3, counts: plannedCounts(m), out });
    for (const t of model.tables) original.set(t.name, readFileSync(file(t.name), 'utf8'));
  });

  /** The violations after `change` edits the rows of `table` (the file is restored after). */
  async function violationsAfter(table: string, change: (rows: Row[]) => void) {
    const rows = read(table);
    change(rows);
    writeFileSync(file(table), JSON.stringify(rows));
    try {
      return (await verify(undefined, m, out)).violations.map((v) => `${v.check} ${v.table}`);
    } finally {
      writeFileSync(file(table), original.get(table)!);
    }
  }

  it('finds nothing wrong with the seeded rows, and every rule holds in them', async () => {
    const report = await verify(undefined, m, out);
    expect(report.violations).toEqual([]);
    for (const check of ['rule tree', 'rule before', 'rule ref', 'rule bytes', 'rule array', 'rule after'])
      expect(Object.values(report.tables).some((t) => t[check])).toBe(true);
    const staff = read('staff');
    const level = (r: Row): number => (r.manager_id === null ? 0 : 1 + level(staff.find((s) => s.id === r.manager_id)!));
    expect(new Set(staff.map(level))).toEqual(new Set([0, 1, 2])); // three levels
    const agents = new Set(staff.filter((s) => s.role === 'sales agent').map((s) => s.id));
    expect(read('customers').every((c) => agents.has(c.rep_id))).toBe(true);
    expect(new Set(read('details').map((d) => d.customer_id)).size).toBe(10);
    for (const r of read('rentals')) expect(r.returned_at > r.rented_at).toBe(true);
  });

  it('a return before the rental', async () => {
    expect(await violationsAfter('rentals', (rows) => (rows[4]!.returned_at = '2024-12-31T00:00:00'))).toEqual(['rule after rentals']);
  });

  it('an interview after the hiring', async () => {
    expect(await violationsAfter('staff', (rows) => (rows[2]!.interviewed_at = '2024-06-01T00:00:00'))).toEqual(['rule before staff']);
  });

  it('a support rep who is no sales agent', async () => {
    const clerk = read('staff').find((s) => s.role === 'clerk')!.id;
    expect(await violationsAfter('customers', (rows) => (rows[0]!.rep_id = clerk))).toEqual(['rule ref where customers']);
  });

  it('a parent used twice by a one-to-one key', async () => {
    expect(await violationsAfter('details', (rows) => (rows[1]!.customer_id = rows[0]!.customer_id))).toEqual(['rule ref once details']);
  });

  it('a fourth level in a three-level tree', async () => {
    expect(await violationsAfter('staff', (rows) => (rows[12]!.manager_id = rows[11]!.id))).toEqual(['rule tree staff']);
  });

  it('bytes out of their bounds, and an array with a repeated element', async () => {
    expect(await violationsAfter('details', (rows) => (rows[0]!.poster = '\\x00'))).toEqual(['rule bytes details']);
    expect(await violationsAfter('details', (rows) => (rows[0]!.features = ['a', 'a']))).toEqual(['rule array details']);
  });
});
