#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm ci` through "prepare", or `npm run build`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('Error: ecom is not built (dist/ is missing)\n  hint: run `npm run build` (npm ci does it)\n');
  process.exit(1);
}
const { main } = await import(entry.href);
await main(process.argv.slice(2));
