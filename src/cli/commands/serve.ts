import { Flags } from '@oclif/core';
import { pino } from 'pino';
import { connect } from '../../db/connect.ts';
import { EcomCommand } from '../base.ts';

export default class Serve extends EcomCommand {
  static override description = 'Serve the orders over REST and tRPC, with OpenAPI docs at /docs (read-only)';
  static override examples = ['<%= config.bin %> serve', '<%= config.bin %> serve --port 8080 --cors http://localhost:5173'];
  static override flags = {
    port: Flags.integer({ description: 'port to listen on (0 picks a free one)', default: 8000, min: 0, max: 65535 }),
    host: Flags.string({ description: 'interface to bind', default: '127.0.0.1' }),
    cors: Flags.string({ description: 'comma-separated allowed origins, or * (default: ECOM_CORS_ORIGINS, else none)' }),
    'cache-ms': Flags.integer({
      description: 'reuse exact totals and stats for this long under load; 0 computes them per request',
      default: 1000,
      min: 0,
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Serve);
    this.verbose = flags.verbose;
    const cors = (flags.cors ?? process.env.ECOM_CORS_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    // buffered: synchronous log writes cost more than the request itself under load
    const logger = pino({ base: undefined }, pino.destination({ sync: false, minLength: 4096 }));
    // loaded on demand: the server needs the generated Prisma client, which `ecom codegen` creates
    const { startServer } = await import('../../server/server.ts');
    const db = await connect();
    const running = await startServer({
      db,
      port: flags.port,
      host: flags.host,
      corsOrigins: cors,
      logger,
      version: this.config.version,
      cacheMs: flags['cache-ms'],
    });
    process.stderr.write(`ecom API listening on ${running.url} (docs ${running.url}/docs) — data: ${db.label}\n`);
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        process.stderr.write(`${signal}: finishing in-flight requests, then shutting down\n`);
        void running
          .close()
          .then(() => db.close())
          .then(resolve);
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    logger.flush();
    process.stderr.write('stopped\n');
  }
}
