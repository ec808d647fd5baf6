// CLI start-up, from process start to exit: `ecom --version` and `ecom --help` beside a bare
// `node -e 0` measured in the same run (the floor no CLI can beat on this machine).
import { spawnSync } from 'node:child_process';

export interface StartupFigure {
  median_s: number;
  min_s: number;
  max_rss_mb: number;
}

/** Wall time of one run; NODE_OPTIONS cleared so the parent's loader (tsx) is not inherited. */
function seconds(args: string[]): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr}`);
  return (performance.now() - started) / 1000;
}

function figure(args: string[], runs: number): StartupFigure {
  seconds(args); // warm the file cache
  const samples = Array.from({ length: runs }, () => seconds(args)).sort((a, b) => a - b);
  // peak RSS from GNU time, in a separate run so its own start-up stays out of the timings
  const rss = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { encoding: 'utf8' });
  const kb = Number(rss.stderr.trim().split('\n').at(-1));
  return {
    median_s: Math.round(samples[Math.floor(runs / 2)]! * 1000) / 1000,
    min_s: Math.round(samples[0]! * 1000) / 1000,
    max_rss_mb: Number.isFinite(kb) ? Math.round(kb / 1024) : NaN,
  };
}

export function measureStartup(runs = 15): Record<'node_e_0' | 'ecom_version' | 'ecom_help', StartupFigure> {
  return {
    node_e_0: figure(['-e', '0'], runs),
    ecom_version: figure(['bin/run.js', '--version'], runs),
    ecom_help: figure(['bin/run.js', '--help'], runs),
  };
}
