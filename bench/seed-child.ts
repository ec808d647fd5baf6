// Runs one seed in its own process so its peak RSS is measured alone. Prints one JSON line.
import { connect } from '../src/db/connect.ts';
import { loadModel } from '../src/model/load.ts';
import { plannedCounts, seed } from '../src/seed/seed.ts';

const [url, rows, out] = process.argv.slice(2) as [string, string, string];
const model = loadModel('ecommerce_model.json');
const scale = Number(rows) / model.tables.reduce((a, t) => a + t.count, 0);
const counts = plannedCounts(model, scale);
const db = await connect({ url });
const started = performance.now();
const { tables } = await seed(db, model, { seed: 42, counts, out });
const seconds = (performance.now() - started) / 1000;
await db.close();
process.stdout.write(
  JSON.stringify({ rows: tables.reduce((a, s) => a + s.rows, 0), seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n',
);
