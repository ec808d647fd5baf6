import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pino, type Logger } from 'pino';
import type { Database } from '../db/database.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import { buildApi, type Api } from './api.ts';
import { createApp } from './app.ts';
import { Drain } from './drain.ts';
import { LIMITS } from './limits.ts';
import { ProblemError } from './problem.ts';
import { createPrisma } from './prisma.ts';

export interface ServeOptions {
  db: Database;
  /** The model the database was migrated and the Prisma client generated from: what is served follows from it (api.ts). */
  model: ResolvedModel;
  /**
   * The Prisma client for `db`; default the project's generated client on the database's adapter.
   * Tests of other models pass a client generated for them.
   */
  prisma?: PrismaClient;
  port: number;
  host: string;
  corsOrigins?: string[];
  logger?: Logger;
  version?: string;
  cacheMs?: number;
  reportFile?: string;
  /** Per-request database deadline; connect the database with the same `statementTimeoutMs`. Default LIMITS.queryTimeoutMs. */
  queryTimeoutMs?: number;
  /** How long in-flight requests may take after close() begins. Default LIMITS.shutdownGraceMs. */
  shutdownGraceMs?: number;
}

export interface RunningServer {
  url: string;
  server: Server;
  /** What is served. */
  api: Api;
  /**
   * Graceful stop (drain.ts): from now on every response carries `Connection: close` and idle
   * keep-alive connections are closed; after LIMITS.shutdownAcceptMs (queued connections accepted)
   * it stops listening; requests in flight get up to `shutdownGraceMs` to finish, then their
   * connections are closed; then the Prisma client disconnects.
   */
  close(): Promise<void>;
}

/**
 * Errors Node's HTTP parser meets before Express sees a request (headers over LIMITS.maxHeaderBytes,
 * malformed requests), answered as problem documents like everything else, then the connection closes.
 */
function clientErrorHandler(logger: Logger) {
  return (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') return void socket.destroy();
    const requestId = randomUUID();
    const problem =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? new ProblemError('headers-too-large', `the request headers exceed ${LIMITS.maxHeaderBytes} bytes`)
        : new ProblemError('bad-request', 'the request is not valid HTTP/1.1');
    logger.info({ request_id: requestId, status: problem.status, code: err.code }, 'request refused by the HTTP parser');
    const body = JSON.stringify(problem.toProblem(undefined, requestId));
    const head = {
      ...problem.responseHeaders(),
      'X-Request-Id': requestId,
      'Content-Length': String(Buffer.byteLength(body)),
      Connection: 'close',
    };
    socket.end(
      `HTTP/1.1 ${problem.status} ${problem.title}\r\n${Object.entries(head)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('')}\r\n${body}`,
    );
  };
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const logger = options.logger ?? pino();
  const prisma = options.prisma ?? createPrisma(options.db);
  const api = await buildApi(options.model, prisma, { cacheMs: options.cacheMs });
  const app = createApp({
    api,
    prisma,
    logger,
    corsOrigins: options.corsOrigins ?? [],
    info: { name: 'ecom', version: options.version ?? '0.1.0', dataSource: options.db.label },
    reportFile: options.reportFile,
    queryTimeoutMs: options.queryTimeoutMs,
  });
  const server = createServer({ maxHeaderSize: LIMITS.maxHeaderBytes }, app);
  const drain = new Drain(server);
  server.on('clientError', clientErrorHandler(logger));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    server,
    api,
    close() {
      closing ??= (async () => {
        await drain.close(LIMITS.shutdownAcceptMs, options.shutdownGraceMs ?? LIMITS.shutdownGraceMs);
        await prisma.$disconnect();
      })();
      return closing;
    },
  };
}
