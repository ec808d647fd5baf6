// Writes the report of a seed in its own process so its peak RSS is measured alone. Prints one JSON line.
import { connect } from '../src/db/connect.ts';
import { loadModel } from '../src/model/load.ts';
import { writeReport } from '../src/report/write.ts';

const [url, out] = process.argv.slice(2) as [string, string];
const model = loadModel('ecommerce_model.json');
const db = await connect({ url });
const started = performance.now();
const { bytes } = await writeReport(db, model, { out });
const seconds = (performance.now() - started) / 1000;
await db.close();
process.stdout.write(JSON.stringify({ seconds, bytes, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
