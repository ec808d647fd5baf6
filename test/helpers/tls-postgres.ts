import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterFile, tempDir } from './cleanup.ts';

/** A throwaway PostgreSQL cluster with TLS on, its certificates signed by a private CA. */
export interface TlsPostgres {
  port: number;
  /** The CA that signed the server's and the client's certificates. */
  ca: string;
  /** A CA that signed nothing here. */
  otherCa: string;
  /** The role that logs in with a client certificate only. */
  certUser: string;
  clientCert: string;
  clientKey: string;
}

const CERT_USER = 'ecom_cert_user';

/** The server programs (initdb, pg_ctl) of the newest PostgreSQL installed, if any. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const newest = readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
  return newest && existsSync(join(root, newest, 'bin/initdb')) ? join(root, newest, 'bin') : undefined;
}

/**
 * Starts the cluster on a free port and stops it, deleting everything, when the test file is done.
 * Its certificate names only `localhost`, so verify-full through 127.0.0.1 fails on the host name.
 * PostgreSQL refuses to run as root: as root the cluster runs as the postgres user.
 */
export async function startTlsPostgres(bin: string): Promise<TlsPostgres> {
  const dir = tempDir('ecom-tls-');
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const key = (name: string) => openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', name);
  const ca = (name: string) => {
    key(`${name}.key`);
    openssl('req', '-x509', '-new', '-key', `${name}.key`, '-subj', `/CN=${name}`, '-days', '1', '-out', `${name}.pem`);
  };
  const signed = (name: string, subject: string, extensions: string) => {
    key(`${name}.key`);
    openssl('req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`);
    writeFileSync(file(`${name}.ext`), extensions);
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.pem`,
    );
  };
  ca('ca');
  ca('other-ca');
  signed('server', '/CN=localhost', 'subjectAltName=DNS:localhost\n');
  signed('client', `/CN=${CERT_USER}`, 'extendedKeyUsage=clientAuth\n');

  const asServer = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  const run = (program: string, ...args: string[]) => {
    const [cmd, ...rest] = [...asServer, join(bin, program), ...args];
    execFileSync(cmd!, rest, { stdio: 'pipe' });
  };
  if (asServer.length > 0) for (const name of ['', ...readdirSync(dir)]) chownSync(join(dir, name), postgresUid(), -1);
  chmodSync(file('server.key'), 0o600);
  run('initdb', '-D', file('data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '--no-instructions');
  writeFileSync(
    file('data/pg_hba.conf'),
    [
      'local all all trust',
      `hostssl all ${CERT_USER} 127.0.0.1/32 cert`,
      `hostssl all ${CERT_USER} ::1/128 cert`,
      'host all all 127.0.0.1/32 trust',
      'host all all ::1/128 trust',
    ].join('\n') + '\n',
  );
  const port = await freePort();
  const settings = {
    port,
    listen_addresses: 'localhost',
    unix_socket_directories: dir,
    ssl: 'on',
    ssl_cert_file: file('server.pem'),
    ssl_key_file: file('server.key'),
    ssl_ca_file: file('ca.pem'),
    fsync: 'off',
  };
  const options = Object.entries(settings)
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(' ');
  run('pg_ctl', '-D', file('data'), '-o', options, '-l', file('server.log'), '-w', 'start');
  afterFile(() => run('pg_ctl', '-D', file('data'), '-m', 'immediate', '-w', 'stop'));
  run('psql', '-h', dir, '-p', String(port), '-U', 'postgres', '-c', `CREATE ROLE ${CERT_USER} LOGIN`);
  return {
    port,
    ca: file('ca.pem'),
    otherCa: file('other-ca.pem'),
    certUser: CERT_USER,
    clientCert: file('client.pem'),
    clientKey: file('client.key'),
  };
}

function postgresUid(): number {
  return Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
