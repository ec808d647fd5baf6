import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { poolConfig } from '../src/db/postgres.ts';
import { EcomError, redact } from '../src/errors.ts';
import { tempDir } from './helpers/cleanup.ts';

describe('DATABASE_URL handling', () => {
  it('follows libpq sslmode semantics (Supabase uses sslmode=require)', () => {
    const ssl = (mode: string) => poolConfig(`postgresql://u:p@db.example.com:5432/postgres${mode ? `?sslmode=${mode}` : ''}`).ssl;
    expect(ssl('')).toBe(false);
    expect(ssl('disable')).toBe(false);
    expect(ssl('require')).toEqual({ rejectUnauthorized: false });
    expect(ssl('prefer')).toEqual({ rejectUnauthorized: false });
    expect(ssl('verify-full')).toEqual({ rejectUnauthorized: true });
    expect(poolConfig('postgresql://u:p@h/db?sslmode=require&application_name=x').connectionString).toBe(
      'postgresql://u:p@h/db?application_name=x',
    );
  });

  it('rejects a URL that is not PostgreSQL, without echoing the password', () => {
    expect(() => poolConfig('mysql://root:hunter2@localhost/db')).toThrow(EcomError);
    expect(() => poolConfig('not a url :hunter2@')).toThrow(/not a valid URL/);
    try {
      poolConfig('not a url postgres://a:hunter2@h/db');
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
    }
  });

  it('redacts passwords wherever a connection string appears', () => {
    expect(redact('failed: postgresql://app:s3cr3t@db:5432/x and postgres://u:p%40ss@h/y')).toBe(
      'failed: postgresql://app:****@db:5432/x and postgres://u:****@h/y',
    );
    expect(redact('postgresql://nopassword@h/db')).toBe('postgresql://nopassword@h/db');
  });
});

describe('DATABASE_URL TLS files and modes', () => {
  const dir = tempDir('ecom-tls-files-');
  const pem = (name: string) => {
    writeFileSync(join(dir, name), `-----${name}-----\n`);
    return join(dir, name);
  };
  const [ca, cert, key] = [pem('ca.pem'), pem('client.pem'), pem('client.key')];
  const url = (params: Record<string, string>) => `postgresql://u:hunter2@db.example.com/app?${new URLSearchParams(params)}`;

  it('reads sslrootcert, sslcert and sslkey, and hides them from node-postgres', () => {
    const config = poolConfig(url({ sslmode: 'verify-full', sslrootcert: ca, sslcert: cert, sslkey: key, application_name: 'x' }));
    expect(config.ssl).toEqual({
      rejectUnauthorized: true,
      ca: '-----ca.pem-----\n',
      cert: '-----client.pem-----\n',
      key: '-----client.key-----\n',
    });
    expect(config.connectionString).toBe('postgresql://u:hunter2@db.example.com/app?application_name=x');
  });

  it('verify-ca and require with sslrootcert check the CA but not the host name, as libpq does', () => {
    for (const sslmode of ['verify-ca', 'require']) {
      const ssl = poolConfig(url({ sslmode, sslrootcert: ca })).ssl as {
        rejectUnauthorized: boolean;
        ca: string;
        checkServerIdentity(): unknown;
      };
      expect(ssl.rejectUnauthorized).toBe(true);
      expect(ssl.ca).toBe('-----ca.pem-----\n');
      expect(ssl.checkServerIdentity()).toBeUndefined();
    }
  });

  it('refuses settings libpq refuses, naming the problem but never the password', () => {
    const refusal = (params: Record<string, string>) => {
      try {
        poolConfig(url(params));
      } catch (e) {
        expect(e).toBeInstanceOf(EcomError);
        expect(JSON.stringify([(e as EcomError).message, (e as EcomError).problems])).not.toContain('hunter2');
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refusal({ sslmode: 'verify-ca' })).toMatch(/verify-ca requires specifying a CA with sslrootcert/);
    expect(refusal({ sslmode: 'verify-full', sslrootcert: join(dir, 'missing.pem') })).toMatch(/no such file.*missing\.pem/);
    expect(refusal({ sslmode: 'no-verify' })).toMatch(/unknown sslmode "no-verify"/);
    expect(refusal({ sslmode: 'require', uselibpqcompat: 'true', sslrootcert: join(dir, 'missing.pem') })).toMatch(/missing\.pem/);
  });
});
