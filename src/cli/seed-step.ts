import { SEEDERS_DIR } from '../codegen/codegen.ts';
import type { Database } from '../db/database.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import { defaultWorkers, seed, type SeedResult } from '../seed/seed.ts';
import type { Shard } from '../seed/shard.ts';
import { progressReporter } from './progress.ts';

export interface SeedStepOptions {
  seed?: number | undefined;
  counts: Record<string, number>;
  out: string;
  /** --workers; by default as many as pay off (defaultWorkers). */
  workers?: number | undefined;
  shard?: Shard | undefined;
  /** No progress output (--json). */
  quiet: boolean;
}

/** `ecom seed` and the seed step of `ecom run`: one implementation. Ctrl-C or SIGTERM rolls back. */
export async function seedStep(db: Database | undefined, model: ResolvedModel, options: SeedStepOptions): Promise<SeedResult> {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await seed(db, model, {
      seed: seedOf(model, options.seed),
      counts: options.counts,
      out: options.out,
      seeders: SEEDERS_DIR,
      workers: options.workers ?? defaultWorkers(rowsToGenerate(options.counts, options.shard), db !== undefined && !db.inProcess),
      shard: options.shard,
      signal: controller.signal,
      progress: progressReporter(options.quiet ? 'quiet' : process.stderr.isTTY ? 'tty' : 'lines'),
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function rowsToGenerate(counts: Record<string, number>, shard: Shard | undefined): number {
  return Object.values(counts).reduce((a, n) => a + n, 0) / (shard?.count ?? 1);
}

/** --seed, else the model's "seed", else 42. */
export function seedOf(model: ResolvedModel, flag: number | undefined): number {
  return flag ?? model.def.seed ?? 42;
}
