import { SEEDERS_DIR } from '../codegen/codegen.ts';
import type { Database } from '../db/database.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import { loadSeederOverrides } from '../seed/overrides.ts';
import { seed, type TableSummary } from '../seed/seed.ts';
import { progressReporter } from './progress.ts';

export interface SeedStepOptions {
  seed?: number | undefined;
  counts: Record<string, number>;
  out: string;
  /** No progress output (--json). */
  quiet: boolean;
}

/** `ecom seed` and the seed step of `ecom run`: one implementation. Ctrl-C or SIGTERM rolls back. */
export async function seedStep(db: Database | undefined, model: ResolvedModel, options: SeedStepOptions): Promise<TableSummary[]> {
  const overrides = await loadSeederOverrides(model, SEEDERS_DIR);
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await seed(db, model, {
      seed: options.seed ?? model.def.seed ?? 42,
      counts: options.counts,
      out: options.out,
      overrides,
      signal: controller.signal,
      progress: progressReporter(options.quiet ? 'quiet' : process.stderr.isTTY ? 'tty' : 'lines'),
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
