import { availableParallelism } from 'node:os';
import { Flags } from '@oclif/core';
import { parseShard, type ShardStep } from '../seed/shard.ts';

/**
 * Flag types with their own parsing. A value that does not parse makes oclif exit 2 with the
 * message thrown here, before any work starts (package.json → oclif.exitCodes).
 */

const positiveNumber = Flags.custom<number>({
  parse: async (text) => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw new Error(`${text}: must be a positive number, e.g. 10 or 0.5`);
    return n;
  },
});

const positiveInteger = Flags.custom<number>({
  parse: async (text) => {
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1) throw new Error(`${text}: must be a whole number ≥ 1, e.g. 4`);
    return n;
  },
});

/** `table=N` pairs, merged into one object. */
const tableCount = Flags.custom<{ table: string; rows: number }>({
  parse: async (text) => {
    const m = /^([a-z][a-z0-9_]*)=(\d+)$/.exec(text);
    if (!m || Number(m[2]) < 1) throw new Error(`${text}: expected table=N with N ≥ 1, e.g. --count users=1000`);
    return { table: m[1]!, rows: Number(m[2]) };
  },
});

export const modelFlag = Flags.string({ summary: 'The JSON model file.', default: 'ecommerce_model.json', helpValue: 'FILE' });

export const outFlag = Flags.string({ summary: 'Folder for the CSV/JSON exports.', default: 'exports', helpValue: 'DIR' });

/** Flags shared by seed and run. */
export const seedFlags = {
  seed: Flags.integer({ summary: 'Random seed (default: the model\'s "seed", else 42).', helpValue: 'N' }),
  scale: positiveNumber({ summary: "Multiply every table's row count.", default: 1, helpValue: 'F' }),
  count: tableCount({ summary: 'Row count of one table (repeatable).', multiple: true, helpValue: 'TABLE=N' }),
  out: outFlag,
  workers: positiveInteger({
    summary: `Threads generating rows: 1 generates in the main thread; N > 1 starts N worker threads (default: one per core, ${availableParallelism()} here, one fewer into a PostgreSQL server, and one per 50,000 rows at most).`,
    helpValue: 'N',
  }),
};

export const shardFlag = Flags.custom<ShardStep>({
  summary: 'A sharded load: prepare/N, then each I/N (any order, any machine), then finish/N.',
  helpValue: 'I/N|prepare/N|finish/N',
  parse: async (text) => parseShard(text),
})();

/** --count pairs as an object; the last value given for a table wins. */
export function countsOf(pairs: { table: string; rows: number }[] = []): Record<string, number> {
  return Object.fromEntries(pairs.map((p) => [p.table, p.rows]));
}
