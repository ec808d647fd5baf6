import type { ResolvedModel } from '../model/resolve.ts';
import { renderBatch } from './batches.ts';
import { Engine } from './engine.ts';
import { loadSeederOverrides } from './overrides.ts';
import type { BatchRenderer } from './workers.ts';

/** What an engine is built from, in any thread. */
export interface EngineSetup {
  seed: number;
  counts: Record<string, number>;
  /** The generated seeders' folder: their overrides (user TypeScript) are loaded by every thread that generates. */
  seeders?: string | undefined;
}

/** The one way an engine is made, in the main thread and in workers alike. */
export async function createEngine(model: ResolvedModel, setup: EngineSetup): Promise<Engine> {
  const overrides = setup.seeders ? await loadSeederOverrides(model, setup.seeders) : undefined;
  return new Engine(model, { seed: setup.seed, counts: setup.counts, ...(overrides ? { overrides } : {}) });
}

/** Renders in this thread. */
export function renderInThisThread(engine: Engine): BatchRenderer {
  return { render: async (b) => renderBatch(engine, b), parallel: 1, close: async () => {} };
}
