import { spawnSync } from 'node:child_process';
import { copyFileSync, createReadStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/db/connect.ts';
import type { Database } from '../../src/db/database.ts';
import type { ScratchDatabase } from '../../src/db/scratch.ts';
import { migrate } from '../../src/db/migrate.ts';
import { loadModel } from '../../src/model/load.ts';
import type { ResolvedModel } from '../../src/model/resolve.ts';
import { profileFile } from '../../src/report/profile-stream.ts';
import { profileTableSql } from '../../src/report/profile-sql.ts';
import { REPORT_FILE, writeReport } from '../../src/report/write.ts';
import type { Report } from '../../src/report/types.ts';
import { plannedCounts, seed, filePath } from '../../src/seed/seed.ts';
import { verify } from '../../src/seed/verify.ts';
import { artifactPath, launchBrowser, openPage } from '../helpers/browser.ts';
import { createPgDatabase } from '../helpers/databases.ts';
import { REPO, scratchProject } from '../helpers/project.ts';

/** What the page shows, read from its DOM. */
interface PageFigures {
  sections: {
    name: string;
    rows: Record<string, number>;
    columns: { name: string; nulls: number; distinct: number; min: string; max: string; bars: string[] }[];
  }[];
  nodes: string[];
  edges: { from: string; to: string; classes: string; points: number }[];
  text: string;
  images: number;
}

function readPage(page: Page): Promise<PageFigures> {
  return page.evaluate(() => ({
    sections: [...document.querySelectorAll<HTMLElement>('section.table')].map((s) => ({
      name: s.dataset.table!,
      rows: Object.fromEntries([...s.querySelectorAll<HTMLElement>('.rows')].map((r) => [r.dataset.destination!, Number(r.dataset.rows)])),
      columns: [...s.querySelectorAll<HTMLElement>('tr.column')].map((r) => ({
        name: r.dataset.column!,
        nulls: Number(r.dataset.nulls),
        distinct: Number(r.dataset.distinct),
        min: r.dataset.min!,
        max: r.dataset.max!,
        bars: [...r.querySelectorAll('figure.chart title')].map((t) => t.textContent!),
      })),
    })),
    nodes: [...document.querySelectorAll<SVGElement>('svg.er .er-node')].map((n) => n.dataset.table!),
    edges: [...document.querySelectorAll<SVGElement>('svg.er .er-edge')].map((e) => ({
      from: e.dataset.from!,
      to: e.dataset.to!,
      classes: e.getAttribute('class')!,
      points: (e.querySelector('path')!.getAttribute('d')!.match(/[ML]/g) ?? []).length,
    })),
    text: document.body.innerText,
    images: document.images.length,
  }));
}

/** The diagram's table boxes, in page coordinates. */
function nodeBoxes(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('svg.er .er-node .box')].map((b) => {
      const r = b.getBoundingClientRect();
      return { x: r.x, y: r.y, w: r.width, h: r.height };
    }),
  );
}

const overlaps = (a: { x: number; y: number; w: number; h: number }, b: typeof a) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Every table and column of the model is on the page; one diagram node per table and one edge per foreign key. */
async function expectPageMatchesModel(page: Page, model: ResolvedModel) {
  const figures = await readPage(page);
  expect(figures.sections.map((s) => s.name)).toEqual(model.tables.map((t) => t.name));
  for (const t of model.tables) {
    const section = figures.sections.find((s) => s.name === t.name)!;
    expect(section.columns.map((c) => c.name)).toEqual(t.columns.map((c) => c.name));
    for (const c of t.columns) expect(figures.text).toContain(c.name);
  }
  expect([...figures.nodes].sort()).toEqual(model.tables.map((t) => t.name).sort());
  const keys = model.tables.flatMap((t) =>
    t.foreignKeys.map((c) => ({ from: `${t.name}.${c.name}`, to: `${c.ref!.table}.${c.ref!.column}` })),
  );
  expect(figures.edges.map(({ from, to }) => ({ from, to })).sort(byFrom)).toEqual(keys.sort(byFrom));
  for (const e of figures.edges) expect(e.points, `${e.from} is drawn`).toBeGreaterThanOrEqual(2);
  for (const c of model.deferred) expect(figures.edges.find((e) => e.from === `${c.table}.${c.name}`)!.classes).toMatch(/\bcycle\b/);
  const boxes = await nodeBoxes(page);
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlaps(boxes[i]!, boxes[j]!)).toBe(false);
  return figures;
}

const byFrom = (a: { from: string }, b: { from: string }) => a.from.localeCompare(b.from);

/** "1,234" → 1234 */
const num = (s: string) => Number(s.replace(/,/g, ''));

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the report of the default `ecom run`, in headless Chromium', () => {
  const temp = mkdtempSync(join(tmpdir(), 'ecom-report-'));
  const out = join(temp, 'out');
  const model = loadModel(join(REPO, 'ecommerce_model.json'));
  let scratch: ScratchDatabase;
  let client: pg.Client;
  let opened: Awaited<ReturnType<typeof openPage>>;
  let figures: PageFigures;
  const ecom = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [join(REPO, 'bin/run.js'), ...args], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: scratch.url, ...env },
    });
  const sql = async <T extends pg.QueryResultRow>(text: string, params: unknown[] = []) => (await client.query<T>(text, params)).rows;
  const column = (table: string, name: string) => figures.sections.find((s) => s.name === table)!.columns.find((c) => c.name === name)!;

  beforeAll(async () => {
    scratch = await createPgDatabase();
    const run = ecom(['run', '--out', out]);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/6\/6 report +\S+report\.html, \d+ KiB/);
    client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    opened = await openPage(browser, pathToFileURL(join(out, REPORT_FILE)).href, { offline: true });
    figures = await readPage(opened.page);
  });
  afterAll(async () => {
    await opened?.page.close();
    await client?.end();
    await scratch?.drop();
    rmSync(temp, { recursive: true, force: true });
  });

  it('loads offline from file:// with no console errors and asks for nothing but itself', async () => {
    expect(opened.problems).toEqual([]);
    expect(opened.requests).toEqual([pathToFileURL(join(out, REPORT_FILE)).href]);
    expect(figures.text).toMatch(/verify passed: \d+ checks, 0 violations/);
    await opened.page.setViewport({ width: 1400, height: 1240 });
    await opened.page.screenshot({ path: artifactPath('report-ecommerce.png') });
    await (await opened.page.$('#table-orders'))!.screenshot({ path: artifactPath('report-ecommerce-orders.png') });
    await opened.page.screenshot({ path: artifactPath('report-ecommerce-full.png'), fullPage: true });
    // README's pictures come from this run, refreshed deliberately
    if (process.env.UPDATE_SCREENSHOT) {
      mkdirSync(join(REPO, 'docs'), { recursive: true });
      copyFileSync(artifactPath('report-ecommerce.png'), join(REPO, 'docs/report.png'));
      copyFileSync(artifactPath('report-ecommerce-orders.png'), join(REPO, 'docs/report-orders.png'));
    }
  });

  it('shows every table and column, one diagram node per table and one edge per foreign key', async () => {
    await expectPageMatchesModel(opened.page, model);
    const self = figures.edges.find((e) => e.from === 'categories.parent_id')!;
    expect(self.to).toBe('categories.id');
    expect(self.classes.split(' ').sort()).toEqual(['er-edge', 'optional', 'self']);
    expect(figures.sections.find((s) => s.name === 'users')!.rows).toEqual({ postgres: 150, csv: 150 });
    expect(figures.sections.find((s) => s.name === 'reviews')!.rows).toEqual({ csv: 200 });
  });

  it('shows profile figures equal to SQL computed independently', async () => {
    // nulls, distinct, min and max of columns of every type, in PostgreSQL
    const cases: [string, string, string][] = [
      ['users', 'phone', 'phone'],
      ['products', 'price', 'price::text'],
      ['orders', 'status', 'status::text'],
      ['orders', 'created_at', `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`],
      ['products', 'is_active', 'is_active::text'],
    ];
    for (const [table, col, text] of cases) {
      // qualified: the output column of the same name would be ordered as text
      const order = col === 'price' || col === 'created_at' ? `${table}.${col}` : `${text} COLLATE "C"`;
      const [expected] = await sql<{ nulls: number; distinct: number; min: string; max: string }>(
        `SELECT count(*) FILTER (WHERE ${col} IS NULL)::int AS nulls, count(DISTINCT ${col})::int AS distinct,
           (SELECT ${text} FROM ${table} WHERE ${col} IS NOT NULL ORDER BY ${order} LIMIT 1) AS min,
           (SELECT ${text} FROM ${table} WHERE ${col} IS NOT NULL ORDER BY ${order} DESC LIMIT 1) AS max FROM ${table}`,
      );
      expect({ ...column(table, col), bars: undefined }, `${table}.${col}`).toEqual({ name: col, ...expected, bars: undefined });
    }
    expect(column('users', 'phone').nulls).toBeGreaterThan(0);

    // top values: the enum mix
    const statuses = await sql<{ v: string; n: number }>(
      'SELECT status::text AS v, count(*)::int AS n FROM orders GROUP BY status ORDER BY n DESC, status::text COLLATE "C"',
    );
    expect(column('orders', 'status').bars.map((b) => /^(.*): ([\d,]+) \(/s.exec(b)!.slice(1, 3))).toEqual(
      statuses.map((s) => [s.v, String(s.n)]),
    );

    // a histogram: one bar per quantity
    const quantities = await sql<{ q: number; n: number }>(
      'SELECT quantity AS q, count(*)::int AS n FROM order_items GROUP BY 1 ORDER BY 1',
    );
    const bars = column('order_items', 'quantity').bars.map((b) => /^(\d+): ([\d,]+)$/.exec(b)!);
    expect(bars.map((m) => [Number(m[1]), num(m[2]!)]).filter(([, n]) => n! > 0)).toEqual(quantities.map((r) => [r.q, r.n]));

    // a fan-out: items per order, orders without items included
    const perOrder = await sql<{ k: number; n: number }>(
      'SELECT k, count(*)::int AS n FROM (SELECT count(i.id)::int AS k FROM orders o LEFT JOIN order_items i ON i.order_id = o.id GROUP BY o.id) s GROUP BY k ORDER BY k',
    );
    const fan = column('order_items', 'order_id').bars.map((b) => /^([\d,]+) × orders\.id with (\d+) order_items rows$/.exec(b)!);
    expect(fan.map((m) => [Number(m[2]), num(m[1]!)]).filter(([, n]) => n! > 0)).toEqual(perOrder.map((r) => [r.k, r.n]));
  });

  it('shows the streamed profile of a file-only table equal to SQL over the same file loaded into PostgreSQL', async () => {
    await client.query(
      'CREATE TEMP TABLE reviews_file (id int, product_id int, user_id int, rating int, title text, body text, created_at timestamptz)',
    );
    await pipeline(
      createReadStream(join(out, 'csv/reviews.csv')),
      client.query(copyFrom('COPY reviews_file FROM STDIN (FORMAT csv, HEADER true)')),
    );
    const [totals] = await sql<{ rows: number; titles: number; body_nulls: number }>(
      'SELECT count(*)::int AS rows, count(DISTINCT title)::int AS titles, count(*) FILTER (WHERE body IS NULL)::int AS body_nulls FROM reviews_file',
    );
    expect(totals!.rows).toBe(200);
    expect(column('reviews', 'title').distinct).toBe(totals!.titles);
    expect(column('reviews', 'body').nulls).toBe(totals!.body_nulls);
    const ratings = await sql<{ r: number; n: number }>('SELECT rating AS r, count(*)::int AS n FROM reviews_file GROUP BY 1 ORDER BY 1');
    expect(column('reviews', 'rating').bars.map((b) => /^(\d+): ([\d,]+)$/.exec(b)!.slice(1).map(num))).toEqual(
      ratings.map((r) => [r.r, r.n]),
    );
    const [created] = await sql<{ min: string; max: string }>(
      `SELECT to_char(min(created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS min, to_char(max(created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS max FROM reviews_file`,
    );
    expect(column('reviews', 'created_at')).toMatchObject(created!);
    // reviews per user, users without reviews included (users live in PostgreSQL)
    const perUser = await sql<{ k: number; n: number }>(
      'SELECT k, count(*)::int AS n FROM (SELECT count(r.id)::int AS k FROM users u LEFT JOIN reviews_file r ON r.user_id = u.id GROUP BY u.id) s GROUP BY k ORDER BY k',
    );
    const fan = column('reviews', 'user_id').bars.map((b) => /^([\d,]+) × users\.id with (\d+) reviews rows$/.exec(b)!);
    expect(fan.map((m) => [Number(m[2]), num(m[1]!)]).filter(([, n]) => n! > 0)).toEqual(perUser.map((r) => [r.k, r.n]));
  });

  it('`ecom report --json` prints the figures the page shows, and rewrites the same page', () => {
    const before = readFileSync(join(out, REPORT_FILE));
    const r = ecom(['report', '--out', out, '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as Report & { file: string };
    expect(report.file).toBe(join(out, REPORT_FILE));
    expect(report.verify).toMatchObject({ status: 'passed', violations: 0 });
    for (const t of report.tables) {
      const section = figures.sections.find((s) => s.name === t.name)!;
      expect(section.rows).toEqual(t.rows);
      expect(
        t.columns.map((c) => ({
          name: c.name,
          nulls: c.profile.nulls,
          distinct: c.profile.distinct,
          min: c.profile.min ?? '',
          max: c.profile.max ?? '',
        })),
      ).toEqual(section.columns.map(({ bars: _bars, ...c }) => c));
    }
    // same data, same verify record: byte-identical page
    expect(readFileSync(join(out, REPORT_FILE)).equals(before)).toBe(true);
  });

  it('is served by `ecom serve` at /report under a policy that allows no script, and renders there without errors', async () => {
    const { startServer } = await import('../../src/server/server.ts');
    const { pino } = await import('pino');
    const db = await connect({ url: scratch.url });
    const api = await startServer({
      db,
      model,
      port: 0,
      host: '127.0.0.1',
      logger: pino({ level: 'silent' }),
      reportFile: join(out, REPORT_FILE),
    });
    const none = await startServer({
      db,
      model,
      port: 0,
      host: '127.0.0.1',
      logger: pino({ level: 'silent' }),
      reportFile: join(temp, 'nowhere', REPORT_FILE),
    });
    try {
      const res = await fetch(`${api.url}/report`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
      expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(join(out, REPORT_FILE)))).toBe(true);
      // its own browser context, closed with its connections: the server's shutdown waits for open ones
      const context = await browser.createBrowserContext();
      const served = await openPage(context, `${api.url}/report`);
      expect(served.problems).toEqual([]);
      expect((await readPage(served.page)).nodes).toHaveLength(model.tables.length);
      await context.close();
      const missing = await fetch(`${none.url}/report`);
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect((await missing.json()).detail).toMatch(/no report yet: run `ecom report`/);
    } finally {
      await api.close();
      await none.close();
      await db.close();
    }
  });

  it('shows what verify found wrong, table by table', async () => {
    const usersCsv = join(out, 'csv/users.csv');
    const original = readFileSync(usersCsv, 'utf8');
    writeFileSync(usersCsv, original.replace(/"[^"]+@[^"]+"/, '"changed@example.com"'));
    try {
      const verified = ecom(['verify', '--out', out]);
      expect(verified.status).toBe(1);
      expect(ecom(['report', '--out', out]).status).toBe(0);
      const page = await openPage(browser, pathToFileURL(join(out, REPORT_FILE)).href, { offline: true });
      const shown = await page.page.evaluate(() => ({
        banner: document.querySelector('.verify')!.getAttribute('data-status'),
        failed: [...document.querySelectorAll<HTMLElement>('section.table li.bad[data-check]')].map(
          (li) => `${li.closest<HTMLElement>('section')!.dataset.table} ${li.dataset.check}`,
        ),
      }));
      await page.page.close();
      expect(shown.banner).toBe('failed');
      expect(shown.failed).toEqual(['users destinations identical']);
    } finally {
      writeFileSync(usersCsv, original);
    }
    // a new seed makes that verification stale
    expect(ecom(['seed', '--out', out]).status).toBe(0);
    const report = JSON.parse(ecom(['report', '--out', out, '--json']).stdout) as Report;
    expect(report.verify.status).toBe('stale');
    expect(report.tables.every((t) => t.checks.length === 0)).toBe(true);
  }, 120_000); // several CLI runs

  it('refuses, with the fix, when there is nothing seeded, another model was seeded, a table or file is missing, or no database', async () => {
    const unmigrated = await createPgDatabase();
    try {
      const r = ecom(['report', '--out', out], { DATABASE_URL: unmigrated.url });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(
        /^Error: the database was never migrated for model "ecommerce": run `ecom migrate`\n {2}categories: table "categories" does not exist in the database\n {4}hint: run `ecom migrate --model ecommerce_model\.json`/s,
      );
    } finally {
      await unmigrated.drop();
    }
    const away = ecom(['report', '--out', out], { DATABASE_URL: 'postgresql://app:s3cr3t@127.0.0.1:1/nowhere' });
    expect(away.status).toBe(1);
    expect(away.stderr).toMatch(/^Error: cannot connect to PostgreSQL postgresql:\/\/app:\*\*\*\*@127\.0\.0\.1:1\/nowhere/);
    expect(away.stderr).not.toContain('s3cr3t');
    const empty = ecom(['report', '--out', join(temp, 'empty')]);
    expect(empty.status).toBe(1);
    expect(empty.stderr).toMatch(/^Error: nothing was seeded into \S+empty: no manifest\.json\n.*hint: run `ecom seed`/s);
    expect(empty.stderr).not.toMatch(/\n\s+at /);
    const other = ecom(['report', '--out', out, '--model', join(REPO, 'test/fixtures/blog_model.json'), '--json']);
    expect(other.status).toBe(1);
    // the database holds the e-commerce tables, so the first refusal is about the database, before the folder
    expect(JSON.parse(other.stdout).error.message).toBe('the database was never migrated for model "blog": run `ecom migrate`');
    rmSync(join(out, 'csv/reviews.csv'));
    const before = readFileSync(join(out, REPORT_FILE));
    const missing = ecom(['report', '--out', out]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/reviews\.csv is missing/);
    expect(readFileSync(join(out, REPORT_FILE)).equals(before)).toBe(true); // the last good page stays
    expect(readdirSync(out).filter((f) => f.startsWith(`${REPORT_FILE}.`))).toEqual([]);
    writeFileSync(join(out, 'csv/reviews.csv'), '"id","product_id","user_id","rating","title","body","created_at"\r\n1,2,3,4,"open\r\n');
    const broken = ecom(['report', '--out', out]);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(
      /\n {2}order_items .*\nError: cannot read \S+reviews\.csv:2\n.*csv syntax: a quote is not closed\n +hint: run `ecom seed`/s,
    );
    expect(readFileSync(join(out, REPORT_FILE)).equals(before)).toBe(true);
  }, 120_000); // several CLI runs
});

describe('the report of every fixture model', () => {
  const fixtures = readdirSync(join(REPO, 'test/fixtures')).filter((f) => f.endsWith('.json'));

  it.each(fixtures)('%s: renders cleanly, deterministically, with streamed figures equal to SQL ones', async (fixture) => {
    const p = scratchProject(`test/fixtures/${fixture}`);
    const scratch = await createPgDatabase();
    let db: Database | undefined;
    try {
      db = await connect({ url: scratch.url });
      await migrate(db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
      await seed(db, p.model, { seed: 3, counts: plannedCounts(p.model), out: p.out });
      const verified = await verify(db, p.model, p.out);
      expect(verified.violations).toEqual([]);
      const first = await writeReport(db, p.model, { out: p.out, verified });
      const page = readFileSync(first.file);
      await writeReport(db, p.model, { out: p.out, verified });
      expect(readFileSync(first.file).equals(page)).toBe(true);

      // a table with a PostgreSQL and a file copy: both ways of profiling give the same figures
      for (const t of p.model.tables.filter((t) => t.inPostgres && t.file)) {
        const fail = (check: string, where: string, detail: string) => {
          throw new Error(`${check} ${where} ${detail}`);
        };
        expect(await profileFile(filePath(p.out, t)!, t, fail), t.name).toEqual(await profileTableSql(db, t));
      }

      const opened = await openPage(browser, pathToFileURL(first.file).href, { offline: true });
      expect(opened.problems).toEqual([]);
      const figures = await expectPageMatchesModel(opened.page, p.model);
      expect(figures.text).toMatch(/verify passed/);
      await opened.page.screenshot({ path: artifactPath(`report-${fixture.replace(/\.json$/, '')}.png`), fullPage: true });
      await opened.page.close();
    } finally {
      await db?.close();
      await scratch.drop();
      p.cleanup();
    }
  });
});

describe('values from user data in the report', () => {
  const payloads = [
    '</script><img src=x onerror="window.__pwned=1">',
    '"><svg onload="window.__pwned=2">',
    '</title></text></svg><img src=x onerror=window.__pwned=3>',
    'a & b <b>bold</b> &amp;',
  ];
  const labels = ['<script>window.__pwned=4</script>', "'; window.__pwned=5; '", '\u2028\u2029 separators 😀'];
  const model = {
    name: 'hostile',
    tables: [
      {
        name: 'notes',
        count: 30,
        destination: 'postgres',
        primaryKey: ['id'],
        description: '</style></script><img src=x onerror="window.__pwned=6">',
        columns: [
          { name: 'id', type: 'int', default: 'autoincrement' },
          { name: 'body', type: 'text', generate: { kind: 'choice', values: payloads } },
        ],
      },
      {
        name: 'copies',
        count: 20,
        destination: 'csv',
        primaryKey: ['id'],
        columns: [
          { name: 'id', type: 'int', default: 'autoincrement' },
          { name: 'note_id', type: 'int', references: { table: 'notes', column: 'id' } },
          { name: 'label', type: 'varchar(80)', generate: { kind: 'choice', values: labels } },
        ],
      },
    ],
  };

  it('are shown as text, never run as markup', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecom-hostile-'));
    writeFileSync(join(dir, 'hostile.json'), JSON.stringify(model));
    const p = scratchProject(join(dir, 'hostile.json'));
    const scratch = await createPgDatabase();
    let db: Database | undefined;
    try {
      db = await connect({ url: scratch.url });
      await migrate(db, { schemaFile: p.schemaFile, migrationsDir: p.migrationsDir });
      await seed(db, p.model, { seed: 1, counts: plannedCounts(p.model), out: p.out });
      const { file } = await writeReport(db, p.model, { out: p.out });
      const opened = await openPage(browser, pathToFileURL(file).href, { offline: true });
      expect(opened.problems).toEqual([]);
      expect(await opened.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      const figures = await expectPageMatchesModel(opened.page, p.model);
      expect(figures.images).toBe(0);
      expect(figures.text).toMatch(/verify has not run on this data: run ecom verify/);
      expect(await opened.page.evaluate(() => [...document.querySelectorAll('b')].filter((b) => b.textContent === 'bold').length)).toBe(0);
      expect(figures.text).toContain(model.tables[0]!.description);
      const body = figures.sections[0]!.columns.find((c) => c.name === 'body')!;
      expect(body.bars.map((b) => b.slice(0, b.lastIndexOf(': ')))).toEqual(expect.arrayContaining(payloads));
      const label = figures.sections[1]!.columns.find((c) => c.name === 'label')!;
      expect([label.min, label.max]).toEqual(["'; window.__pwned=5; '", '\u2028\u2029 separators 😀']);
      expect(label.bars.map((b) => b.slice(0, b.lastIndexOf(': '))).sort()).toEqual([...labels].sort());
      await opened.page.close();
    } finally {
      await db?.close();
      await scratch.drop();
      p.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
