// Preloaded (node --import) into a benchmarked CLI process: writes the process's peak RSS in KB,
// worker threads included, to the file ECOM_BENCH_RSS names when the main thread exits.
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = globalThis.process.env.ECOM_BENCH_RSS;
if (isMainThread && file) globalThis.process.on('exit', () => writeFileSync(file, String(globalThis.process.resourceUsage().maxRSS)));
