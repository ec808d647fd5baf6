import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseModel } from '../../src/model/load.ts';
import { tempDir } from '../helpers/cleanup.ts';
import { createPgDatabase } from '../helpers/databases.ts';
import { REPO } from '../helpers/project.ts';

function ecom(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [join(REPO, 'bin/run.js'), ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('ecom pull', () => {
  it('writes a valid model with --json, never replaces a file without --force, and says what is wrong', async () => {
    const db = await createPgDatabase();
    const load = spawnSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', '-d', db.url, '-f', join(REPO, 'test/fixtures/ddl/chinook.sql')], {
      encoding: 'utf8',
    });
    expect(load.status, load.stderr).toBe(0);
    const out = join(tempDir('ecom-pull-cli-'), 'pulled.json');
    const env = { DATABASE_URL: db.url };

    const first = ecom(['pull', '--output', out, '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    const result = JSON.parse(first.stdout) as { tables: number; approximations: { location: string }[] };
    expect(result.tables).toBe(11);
    expect(result.approximations).toEqual([]); // chinook has nothing the model cannot say
    const text = readFileSync(out, 'utf8');
    expect(parseModel(text, out).tables).toHaveLength(11);

    const again = ecom(['pull', '--output', out], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists; ecom pull does not replace it');
    expect(again.stderr).toContain('--force');
    expect(readFileSync(out, 'utf8')).toBe(text);
    expect(ecom(['pull', '--output', out, '--force'], env).code).toBe(0);

    const missing = ecom(['pull', '--output', out, '--force', '--schema', 'nope'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('schema "nope" does not exist');
    expect(readFileSync(out, 'utf8')).toBe(text);

    // another schema: only its tables; a foreign key to a table outside it is reported, not followed
    const admin = spawnSync(
      'psql',
      [
        '-q',
        '-v',
        'ON_ERROR_STOP=1',
        '-d',
        db.url,
        '-c',
        'CREATE SCHEMA sales; CREATE TABLE sales.orders (id serial PRIMARY KEY, customer_id int NOT NULL REFERENCES public.customer);',
      ],
      { encoding: 'utf8' },
    );
    expect(admin.status, admin.stderr).toBe(0);
    const sales = join(tempDir('ecom-pull-cli-'), 'sales.json');
    const other = ecom(['pull', '--schema', 'sales', '--output', sales, '--json'], env);
    expect(other.code, other.stderr).toBe(0);
    expect(JSON.parse(other.stdout).approximations).toEqual([
      expect.objectContaining({
        location: 'orders.customer_id',
        what: expect.stringContaining('public.customer, which is not in the model'),
      }),
    ]);
    expect(parseModel(readFileSync(sales, 'utf8'), sales).tables.map((t) => t.name)).toEqual(['orders']);

    const nowhere = ecom(['pull', '--output', join(out, 'no/such/folder.json')], env);
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toContain('its folder does not exist');
    // a "folder" that is a file, and a folder where the file cannot be written: never the temporary file's name
    const underFile = ecom(['pull', '--output', join(sales, 'x.json')], env);
    expect(underFile.code).toBe(1);
    expect(underFile.stderr).toContain('its folder does not exist');
    const intoFolder = ecom(['pull', '--output', join(out, '..'), '--force'], env);
    expect(intoFolder.stderr).toContain('cannot be written');
    expect(intoFolder.code).toBe(1);
    expect(`${nowhere.stderr}${underFile.stderr}${intoFolder.stderr}`).not.toMatch(/\.tmp|ENOENT|ENOTDIR/);

    const help = ecom(['help', 'pull'], {});
    expect(help.stdout).toMatch(/USAGE\n {2}\$ ecom pull/);
    expect(help.stdout).toMatch(/--force/);
    expect(help.stdout).toMatch(/EXAMPLES\n/);
  });
});
