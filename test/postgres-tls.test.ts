import { beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../src/db/connect.ts';
import type { Database } from '../src/db/database.ts';
import { EcomError } from '../src/errors.ts';
import { postgresBinDir, startTlsPostgres, type TlsPostgres } from './helpers/tls-postgres.ts';

const bin = postgresBinDir();

// A real server with a private CA: the way a managed PostgreSQL with its own CA is reached.
describe.skipIf(!bin)('DATABASE_URL with TLS, against a PostgreSQL whose certificate a private CA signed', () => {
  let server: TlsPostgres;
  const url = (host: string, params: Record<string, string>, user = 'postgres:hunter2') =>
    `postgresql://${user}@${host}:${server.port}/postgres?${new URLSearchParams(params)}`;
  const encrypted = async (db: Database) => {
    try {
      const [row] = await db.query<{ ssl: boolean; user: string }>(
        'SELECT ssl, current_user AS user FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
      );
      return row;
    } finally {
      await db.close();
    }
  };
  const failure = (u: string) =>
    connect({ url: u }).then(
      () => undefined,
      (e: unknown) => e as EcomError,
    );

  beforeAll(async () => {
    server = await startTlsPostgres(bin!);
  });

  it('verify-full with sslrootcert verifies the server against the private CA', async () => {
    expect(await encrypted(await connect({ url: url('localhost', { sslmode: 'verify-full', sslrootcert: server.ca }) }))).toEqual({
      ssl: true,
      user: 'postgres',
    });
  });

  it('verify-full with another CA fails clearly, without the password', async () => {
    const e = await failure(url('localhost', { sslmode: 'verify-full', sslrootcert: server.otherCa }));
    expect(e).toBeInstanceOf(EcomError);
    expect(e!.message).toMatch(
      /^cannot connect to PostgreSQL postgresql:\/\/postgres:\*\*\*\*@localhost:\d+\/postgres\?sslmode=verify-full/,
    );
    expect(e!.message).toMatch(/certificate/);
    expect(e!.problems[0]!.hint).toMatch(/sslrootcert/);
    expect(JSON.stringify([e!.message, e!.problems])).not.toContain('hunter2');
  });

  it('verify-full checks the host name, verify-ca only the CA (the certificate names localhost, not 127.0.0.1)', async () => {
    const e = await failure(url('127.0.0.1', { sslmode: 'verify-full', sslrootcert: server.ca }));
    expect(e!.message).toMatch(/127\.0\.0\.1/);
    expect(e!.problems[0]!.message).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID/);
    expect(await encrypted(await connect({ url: url('127.0.0.1', { sslmode: 'verify-ca', sslrootcert: server.ca }) }))).toMatchObject({
      ssl: true,
    });
  });

  it('require encrypts without verifying, as libpq does', async () => {
    expect(await encrypted(await connect({ url: url('localhost', { sslmode: 'require' }) }))).toMatchObject({ ssl: true });
  });

  it('sslcert and sslkey log in a role that only accepts a client certificate', async () => {
    const params = { sslmode: 'verify-full', sslrootcert: server.ca };
    const withCert = url('localhost', { ...params, sslcert: server.clientCert, sslkey: server.clientKey }, server.certUser);
    expect(await encrypted(await connect({ url: withCert }))).toEqual({ ssl: true, user: server.certUser });
    const e = await failure(url('localhost', params, server.certUser));
    expect(e!.message).toMatch(/certificate/);
  });
});
