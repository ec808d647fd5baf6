// Preloaded (node --require) into a benchmarked CLI process: writes the process's peak RSS in KB,
// worker threads included, to the file ECOM_BENCH_RSS names when the main thread exits.
const { isMainThread } = require('node:worker_threads');
if (isMainThread && process.env.ECOM_BENCH_RSS)
  process.on('exit', () => require('node:fs').writeFileSync(process.env.ECOM_BENCH_RSS, String(process.resourceUsage().maxRSS)));
