// `ecom serve --model M` for a model without the e-commerce tables (issues 8 and 10): in a fresh clone
// whose Prisma client was generated from the blog fixture, serve says what it serves
// (the `api` tables, and why the orders extension is not served) and serves them, where it used to
// die with "does not provide an export named 'OrderStatus'".
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchReply } from './helpers/api.ts';
import { freshClone } from './helpers/project.ts';

const MODEL = 'test/fixtures/blog_model.json';

describe('ecom serve on a model without orders', { timeout: 240_000 }, () => {
  const root = freshClone();
  const env = { ...process.env, DATABASE_URL: '', ECOM_PGLITE_DIR: join(root, 'pglite') };
  const ecom = (args: string[]) => spawnSync(process.execPath, [join(root, 'bin/run.js'), ...args], { cwd: root, env, encoding: 'utf8' });
  let server: ReturnType<typeof spawn> | undefined;

  beforeAll(() => {
    // a clone of its own, whose Prisma client is generated from the blog fixture
    for (const step of [['codegen'], ['migrate'], ['seed']]) {
      const r = ecom([...step, '--model', MODEL]);
      expect(r.status, `${step[0]}: ${r.stderr}`).toBe(0);
    }
  }, 240_000);
  afterAll(() => void server?.kill('SIGTERM'));

  it('says what it serves, then serves the api tables', async () => {
    server = spawn(process.execPath, [join(root, 'bin/run.js'), 'serve', '--model', MODEL, '--port', '0'], {
      cwd: root,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      server!.stderr!.on('data', (d) => {
        stderr += d;
        const m = /listening on (http:\/\/\S+)[^\n]*\n(?:.*\n){2}/.exec(stderr);
        if (m) resolve(m[1]!);
      });
      server!.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    });
    expect(stderr).not.toContain('OrderStatus');
    expect(stderr).toContain('tables (destination api): /tables/posts, /tables/post_tags');
    expect(stderr).toContain('orders extension not served: the model has no orders table');

    const info = await fetchReply(`${url}/`);
    expect(info.body).toMatchObject({ tables: ['posts', 'post_tags'], extensions: [] });
    expect(info.body.endpoints).toEqual([
      'GET /',
      'GET /health',
      'GET /tables/posts',
      'GET /tables/posts/{id}',
      'GET /tables/post_tags',
      'GET /tables/post_tags/{post_id}/{tag_id}',
    ]);
    expect((await fetchReply(`${url}/health`)).status).toBe(200);
    const page = await fetchReply(`${url}/tables/posts?limit=3&status=published`);
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeGreaterThan(0);
    expect(page.body.items.every((p: { status: string }) => p.status === 'published')).toBe(true);
    const orders = await fetchReply(`${url}/orders`);
    expect(orders.status).toBe(404);
    expect(orders.type).toMatch(/^application\/problem\+json/);
  });
});
