import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { MANIFEST, manifestSchema, readManifest, VERIFY_RECORD } from '../manifest.ts';
import { verifyReportSchema, type VerifyReport } from '../verify.ts';

/**
 * `<out>/verify.json`: what the last `ecom verify` found, with the manifest of the data it checked.
 * `ecom report` shows it instead of verifying again, which would read every row again.
 */
export { VERIFY_RECORD };

const recordSchema = z.object({
  manifest: manifestSchema.nullable(),
  /** When that manifest was written: a new seed with the same manifest (say, after editing overrides) is new data. */
  seededAt: z.number().nullable(),
  report: verifyReportSchema,
});

/** What identifies the data seeded into `out`. */
function seeded(out: string) {
  const file = join(out, MANIFEST);
  return { manifest: readManifest(out) ?? null, seededAt: existsSync(file) ? statSync(file).mtimeMs : null };
}

export function recordVerification(out: string, report: VerifyReport): void {
  mkdirSync(out, { recursive: true });
  const file = join(out, VERIFY_RECORD);
  writeFileSync(`${file}.${process.pid}`, JSON.stringify({ ...seeded(out), report }, null, 2) + '\n');
  renameSync(`${file}.${process.pid}`, file);
}

/**
 * The last verification of `out`; `current` is false when the data was seeded again since.
 * Undefined when there is none, or it cannot be read (then verifying again is the remedy too).
 */
export function readVerification(out: string): { report: VerifyReport; current: boolean } | undefined {
  const file = join(out, VERIFY_RECORD);
  if (!existsSync(file)) return undefined;
  let record: z.infer<typeof recordSchema>;
  try {
    record = recordSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return undefined;
  }
  const { report, ...checked } = record;
  return { report, current: isDeepStrictEqual(checked, seeded(out)) };
}
