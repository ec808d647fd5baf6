import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/cleanup.ts';
import { createPgDatabase } from './helpers/databases.ts';
import { REPO } from './helpers/project.ts';

const temp = tempDir('ecom-cli-');

function ecom(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(REPO, 'bin/run.js'), ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '', ECOM_PGLITE_DIR: join(temp, 'pglite'), ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// each test spawns the CLI many times: generous budgets for a loaded machine
describe('the ecom CLI', { timeout: 180_000 }, () => {
  it('codegen --check passes on the committed files and fails listing stale ones', () => {
    const ok = ecom(['codegen', '--check']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/generated files are up to date/);
    const model = JSON.parse(readFileSync(join(REPO, 'ecommerce_model.json'), 'utf8'));
    model.tables[0].columns.push({ name: 'slug', type: 'varchar(80)', nullable: true });
    writeFileSync(join(temp, 'changed.json'), JSON.stringify(model));
    const stale = ecom(['codegen', '--check', '--model', join(temp, 'changed.json')]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/out of date/);
    expect(stale.stderr).toMatch(/prisma\/schema\.prisma: differs from what the model generates/);
  });

  it('reports an invalid model with pointers and hints, exit 1 and no stack trace unless --verbose', () => {
    const model = JSON.parse(readFileSync(join(REPO, 'ecommerce_model.json'), 'utf8'));
    model.tables[3].columns[1].references.table = 'customers';
    model.tables[1].count = 0;
    writeFileSync(join(temp, 'bad.json'), JSON.stringify(model, null, 2));
    const r = ecom(['codegen', '--model', join(temp, 'bad.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is not a valid model/);
    expect(r.stderr).toMatch(/bad\.json:\d+:\d+ \/tables\/1\/count: .*at least 1/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    writeFileSync(join(temp, 'syntax.json'), '{\n  "name": "x",\n  "tables": [\n    { "name": "a" }\n    { "name": "b" }\n  ]\n}\n');
    const syntax = ecom(['codegen', '--model', join(temp, 'syntax.json')]);
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toMatch(/syntax\.json is not valid JSON\n {2}\S*syntax\.json:5:5: expected a comma\n/);
    const verbose = ecom(['codegen', '--model', join(temp, 'missing.json'), '--verbose']);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/cannot read model file .*ENOENT/);
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });

  it('rejects bad flags with exit 2 and a clear message, before any work', () => {
    const r = ecom(['seed', '--count', 'users=lots']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Error: --count users=lots: expected table=N/);
    expect(r.stderr).toMatch(/hint: see `ecom help seed`/);
    const s = ecom(['seed', '--scale', '-2']);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/--scale -2: must be a positive number/);
    for (const args of [
      ['run', '--scale', 'abc'],
      ['seed', '--seed', '1.5'],
      ['serve', '--port', '70000'],
      ['verify', '--bogus'],
    ]) {
      const bad = ecom(args);
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
    }
  });

  it('prints errors as JSON with --json, and takes --model on every command that reads the model', () => {
    for (const command of ['codegen', 'migrate', 'seed', 'verify', 'export-db', 'run', 'serve']) {
      const r = ecom([command, '--model', join(temp, 'missing.json'), '--json']);
      expect(r.code, command).toBe(1);
      const { error } = JSON.parse(r.stdout);
      expect(error.message, command).toMatch(/^cannot read model file .*missing\.json: ENOENT$/);
      expect(r.stderr, command).toBe('');
    }
    const flags = JSON.parse(ecom(['seed', '--scale', '0', '--json']).stdout);
    expect(flags.error).toMatchObject({ message: expect.stringMatching(/^--scale 0: must be a positive number/), exitCode: 2 });
  });

  it('shows help for every command, summary once, with examples', () => {
    const top = ecom(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['codegen', 'migrate', 'seed', 'verify', 'export-db', 'run', 'serve']) {
      expect(top.stdout).toMatch(new RegExp(`\\n  ${command} `));
      const help = ecom(['help', command]);
      expect(help.code, command).toBe(0);
      expect(help.stdout, command).toMatch(/USAGE\n {2}\$ ecom /);
      expect(help.stdout, command).toMatch(/EXAMPLES\n/);
      expect(help.stdout, command).toMatch(/--model=FILE/);
      const summary = help.stdout.split('\n')[0]!;
      expect(help.stdout.split(summary).length - 1, `${command}: summary printed once`).toBe(1);
      expect(ecom([command, '--help']).stdout).toBe(help.stdout);
    }
    expect(ecom(['--version']).stdout).toMatch(/^ecom\/\d+\.\d+\.\d+ /);
  });

  it('never prints the database password', () => {
    const r = ecom(['migrate'], { DATABASE_URL: 'postgresql://app:s3cr3t-pw@127.0.0.1:1/nowhere' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot connect to PostgreSQL postgresql:\/\/app:\*\*\*\*@127\.0\.0\.1:1\/nowhere/);
    expect(r.stdout + r.stderr).not.toContain('s3cr3t-pw');
  });

  it('`ecom run --seed 7` works on PGlite and on PostgreSQL, with identical exports', async () => {
    const pglite = ecom(['run', '--seed', '7', '--out', join(temp, 'out-pglite')]);
    expect(pglite.stderr).not.toMatch(/Error/);
    expect(pglite.code).toBe(0);
    expect(pglite.stdout).toMatch(/4\/5 verify +\d+ checks, 0 violations/);
    expect(pglite.stdout).toMatch(/total +1575/);
    const scratch = await createPgDatabase();
    try {
      const pg = ecom(['run', '--seed', '7', '--out', join(temp, 'out-pg'), '--json'], { DATABASE_URL: scratch.url });
      expect(pg.code).toBe(0);
      const summary = JSON.parse(pg.stdout);
      expect(summary.tables.map((t: { rows: number }) => t.rows)).toEqual([25, 150, 300, 200, 500, 400]);
      expect(pg.stderr).toBe(''); // --json: no progress lines
      // Prisma's own CLI on the same folder: prisma.config.ts makes `prisma db seed` run `ecom seed`
      const prismaSeed = spawnSync(
        process.execPath,
        [
          join(REPO, 'node_modules/prisma/build/index.js'),
          'db',
          'seed',
          '--',
          '--seed',
          '7',
          '--out',
          join(temp, 'out-prisma-seed'),
          '--json',
        ],
        {
          cwd: REPO,
          encoding: 'utf8',
          env: {
            ...process.env,
            DATABASE_URL: scratch.url,
            PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
            PRISMA_HIDE_UPDATE_MESSAGE: '1',
          },
        },
      );
      expect(prismaSeed.status, prismaSeed.stderr).toBe(0);
      expect(prismaSeed.stdout).toMatch(/The seed command has been executed/);
    } finally {
      await scratch.drop();
    }
    for (const f of ['csv/users.csv', 'csv/reviews.csv', 'json/products.json']) {
      expect(readFileSync(join(temp, 'out-pg', f))).toEqual(readFileSync(join(temp, 'out-pglite', f)));
      expect(readFileSync(join(temp, 'out-prisma-seed', f))).toEqual(readFileSync(join(temp, 'out-pglite', f)));
    }
  });
});

describe('ecom serve', { timeout: 180_000 }, () => {
  it('serves until SIGTERM, then finishes and exits 0', async () => {
    expect(ecom(['run', '--out', join(temp, 'out-serve'), '--json']).code).toBe(0);
    const child = spawn(process.execPath, [join(REPO, 'bin/run.js'), 'serve', '--port', '0'], {
      cwd: REPO,
      env: { ...process.env, DATABASE_URL: '', ECOM_PGLITE_DIR: join(temp, 'pglite') },
    });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        const m = /listening on (http:\/\/[^\s]+)/.exec(stderr);
        if (m) resolve(m[1]!);
      });
      child.once('exit', () => reject(new Error(`exited early: ${stderr}`)));
    });
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    const inflight = fetch(`${url}/orders/stats/summary`);
    await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    expect(stderr).toMatch(/SIGTERM: finishing in-flight requests/);
    expect(stderr).toMatch(/stopped/);
    expect((await inflight).status).toBe(200);
    // one JSON log line per request
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.msg === 'request').map((l) => `${l.method} ${l.url} ${l.status}`)).toEqual([
      'GET /health 200',
      'GET /orders/stats/summary 200',
    ]);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});
