import { describe, expect, it } from 'vitest';
import { poolConfig } from '../src/db/postgres.ts';
import { EcomError, redact } from '../src/errors.ts';

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
