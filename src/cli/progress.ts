import type { ProgressListener, TableSummary } from '../seed/seed.ts';

/** A bar with rows/s on a TTY; one plain line per table otherwise; nothing with --json. */
export function progressReporter(
  mode: 'tty' | 'lines' | 'quiet',
  write: (s: string) => unknown = (s) => process.stderr.write(s),
): ProgressListener {
  if (mode === 'quiet') return { start() {}, advance() {}, end() {} };
  let started = 0;
  let total = 0;
  let lastDraw = 0;
  return {
    start(_table, n) {
      started = performance.now();
      total = n;
      lastDraw = 0;
    },
    advance(table, done) {
      if (mode !== 'tty') return;
      const now = performance.now();
      if (now - lastDraw < 100 && done < total) return;
      lastDraw = now;
      const width = 28;
      const filled = Math.round((done / total) * width);
      const rate = done / Math.max(0.001, (now - started) / 1000);
      write(
        `\r  ${table.padEnd(16)} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total} rows  ${Math.round(rate)} rows/s\x1b[K`,
      );
    },
    end(table, rows, seconds) {
      if (mode === 'tty') write('\r\x1b[K');
      write(
        `  ${table.padEnd(16)} ${String(rows).padStart(9)} rows  ${seconds.toFixed(2)} s  ${Math.round(rows / Math.max(seconds, 0.001))} rows/s\n`,
      );
    },
  };
}

export function summaryTable(rows: TableSummary[]): string {
  const head = ['table', 'destinations', 'rows', 'seconds'];
  const body = rows.map((r) => [r.table, r.destinations.join(' + '), String(r.rows), r.seconds.toFixed(2)]);
  const total = rows.reduce((a, r) => a + r.rows, 0);
  body.push(['total', '', String(total), rows.reduce((a, r) => a + r.seconds, 0).toFixed(2)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(fmt)].join('\n');
}
