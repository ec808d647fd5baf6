import { SEEDERS_DIR } from '../codegen/codegen.ts';
import type { Database } from '../db/database.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import { loadSeederOverrides } from '../seed/overrides.ts';
import { plannedCounts, seed, type TableSummary } from '../seed/seed.ts';
import { parseCounts, parseScale } from './flags.ts';
import { progressReporter } from './progress.ts';

export interface SeedStepFlags {
  seed?: number | undefined;
  scale: string;
  count?: string[] | undefined;
  out: string;
  json: boolean;
}

/** Row counts from --scale and --count; called before connecting so bad flags fail fast. */
export function countsFromFlags(model: ResolvedModel, flags: SeedStepFlags): Record<string, number> {
  return plannedCounts(model, parseScale(flags.scale), parseCounts(flags.count));
}

/** `ecom seed` and the seed step of `ecom run`: one implementation. */
export async function seedStep(
  db: Database | undefined,
  model: ResolvedModel,
  flags: SeedStepFlags,
  counts: Record<string, number>,
): Promise<TableSummary[]> {
  const overrides = await loadSeederOverrides(model, SEEDERS_DIR);
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await seed(db, model, {
      seed: flags.seed ?? model.def.seed ?? 42,
      counts,
      out: flags.out,
      overrides,
      signal: controller.signal,
      progress: progressReporter(flags.json ? 'quiet' : process.stderr.isTTY ? 'tty' : 'lines'),
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
