import { flush, handle, run } from '@oclif/core';
import dotenv from 'dotenv';

export async function main(argv: string[]): Promise<void> {
  dotenv.config({ quiet: true });
  try {
    await run(argv, import.meta.url);
    await flush();
  } catch (e) {
    await handle(e as Error);
  }
  // Driver adapters and the WASM engine leave timers behind; a finished command should not wait on them.
  process.exit(process.exitCode ?? 0);
}
