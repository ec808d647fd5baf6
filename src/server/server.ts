import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import type { Database } from '../db/database.ts';
import { createApp } from './app.ts';
import { createPrisma } from './prisma.ts';

export interface ServeOptions {
  db: Database;
  port: number;
  host: string;
  corsOrigins?: string[];
  logger?: Logger;
  version?: string;
  cacheMs?: number;
  reportFile?: string;
}

export interface RunningServer {
  url: string;
  server: Server;
  /** Stops accepting connections, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const logger = options.logger ?? pino();
  const prisma = createPrisma(options.db);
  const app = createApp({
    prisma,
    logger,
    corsOrigins: options.corsOrigins ?? [],
    info: { name: 'ecom', version: options.version ?? '0.1.0', dataSource: options.db.label },
    cacheMs: options.cacheMs,
    reportFile: options.reportFile,
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(options.port, options.host, (err?: Error) => (err ? reject(err) : resolve(s)));
    s.once('error', reject);
  });
  server.keepAliveTimeout = 5_000;
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    server,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await prisma.$disconnect();
      })();
      return closing;
    },
  };
}
