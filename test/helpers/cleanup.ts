import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const pending: (() => unknown)[] = [];

/** Runs `undo` when the current test file is done (test/setup.ts), whether its tests passed or not. */
export function afterFile(undo: () => unknown): void {
  pending.push(undo);
}

/** Runs what `afterFile` collected, newest first. */
export async function cleanUp(): Promise<void> {
  for (const undo of pending.splice(0).reverse()) await undo();
}

/** A new folder in the system temp dir, removed when the test file is done. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterFile(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
