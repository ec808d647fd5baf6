import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { EcomError } from '../errors.ts';

/** `<out>/manifest.json`: what the last seed into that folder was made from. */
export const MANIFEST = 'manifest.json';

/** The files beside it made from that seed's data: `ecom verify`'s record, `ecom report`'s page and `ecom run`'s dump. */
export const VERIFY_RECORD = 'verify.json';
export const REPORT_FILE = 'report.html';
export const DUMP_FILE = 'database_dump.sql';

export const manifestSchema = z.object({
  outputVersion: z.int(),
  model: z.string(),
  seed: z.int(),
  /** Row counts after --scale and --count. */
  counts: z.record(z.string(), z.int()),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** The manifest of `out`, or undefined when nothing was seeded there. */
export function readManifest(out: string): Manifest | undefined {
  const file = join(out, MANIFEST);
  if (!existsSync(file)) return undefined;
  let parsed: ReturnType<typeof manifestSchema.safeParse>;
  try {
    parsed = manifestSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (e) {
    throw new EcomError(`${file} is not valid JSON: ${(e as Error).message}`, [], 1, { cause: e });
  }
  if (!parsed.success)
    throw new EcomError(`${file} is not an ecom manifest`, [
      {
        pointer: file,
        message: parsed.error.issues.map((i) => `/${i.path.join('/')}: ${i.message}`).join('; '),
        hint: 'run `ecom seed` again',
      },
    ]);
  return parsed.data;
}
