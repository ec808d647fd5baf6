import { join } from 'node:path';
import { Flags } from '@oclif/core';
import type { Api } from '../../server/api.ts';
import { LIMITS } from '../../server/limits.ts';
import { TABLES_PATH } from '../../server/mounts.ts';
import { EcomCommand } from '../base.ts';
import { outFlag } from '../flags.ts';

export default class Serve extends EcomCommand<typeof Serve> {
  static override summary =
    "Serve the model's api tables (and the orders extension of the e-commerce model) over REST and tRPC, with OpenAPI docs at /docs (read-only).";
  static override description =
    'Express 5 and tRPC v11 over the generated Prisma client, on the PostgreSQL in DATABASE_URL or the embedded PGlite. One JSON log line per request on stdout, with its request id. Every request that reads the database is answered within --query-timeout-ms (503 with Retry-After otherwise; PostgreSQL cancels the statement). SIGTERM/SIGINT: stop accepting, answer with Connection: close, let in-flight requests finish (at most 10 s), then exit 0. The latest `ecom report` page of --out is at /report. With --json the start-up line on stderr is JSON too.';
  static override examples = [
    { description: 'http://127.0.0.1:8000, docs at /docs', command: '<%= config.bin %> <%= command.id %>' },
    {
      description: 'Another port, CORS for a dev server',
      command: '<%= config.bin %> <%= command.id %> --port 8080 --cors http://localhost:5173',
    },
  ];
  static override flags = {
    model: EcomCommand.modelFlag,
    out: outFlag,
    port: Flags.integer({ summary: 'Port to listen on (0 picks a free one).', default: 8000, min: 0, max: 65535 }),
    host: Flags.string({ summary: 'Interface to bind.', default: '127.0.0.1' }),
    cors: Flags.string({
      summary: 'Comma-separated allowed origins, or *.',
      description: 'Default: ECOM_CORS_ORIGINS, else none.',
      helpValue: 'ORIGINS',
    }),
    'cache-ms': Flags.integer({
      summary: 'Reuse exact totals and stats for this long under load; 0 computes them per request.',
      default: 1000,
      min: 0,
    }),
    'query-timeout-ms': Flags.integer({
      summary: 'Answer 503 when the database has not answered a request within this; PostgreSQL cancels the statement.',
      default: LIMITS.queryTimeoutMs,
      min: 100,
    }),
  };

  async run() {
    const { assertGeneratedFrom } = await import('../../codegen/codegen.ts');
    const { connect } = await import('../../db/connect.ts');
    const { pino } = await import('pino');
    const model = await this.loadModel();
    assertGeneratedFrom(model, { root: process.cwd(), modelFile: this.flags.model, client: true });
    const cors = (this.flags.cors ?? process.env.ECOM_CORS_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    // buffered: synchronous log writes cost more than the request itself under load
    const logger = pino({ base: undefined }, pino.destination({ sync: false, minLength: 4096 }));
    const { startServer } = await import('../../server/server.ts');
    const { REPORT_FILE } = await import('../../report/write.ts');
    const queryTimeoutMs = this.flags['query-timeout-ms'];
    const db = await connect({ statementTimeoutMs: queryTimeoutMs });
    const running = await startServer({
      db,
      model,
      port: this.flags.port,
      host: this.flags.host,
      corsOrigins: cors,
      logger,
      version: this.config.version,
      cacheMs: this.flags['cache-ms'],
      reportFile: join(this.flags.out, REPORT_FILE),
      queryTimeoutMs,
    });
    const { api } = running;
    const info = { url: running.url, docs: `${running.url}/docs`, data: db.label, tables: api.tables, extensions: api.extensions };
    process.stderr.write(
      this.jsonEnabled()
        ? `${JSON.stringify({ listening: info })}\n`
        : `ecom API listening on ${info.url} (docs ${info.docs}) — data: ${info.data}\n${servedLines(api).join('\n')}\n`,
    );
    const signal = await new Promise<string>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    if (!this.jsonEnabled()) process.stderr.write(`${signal}: finishing in-flight requests, then shutting down\n`);
    await running.close();
    await db.close();
    logger.flush();
    if (!this.jsonEnabled()) process.stderr.write('stopped\n');
    // no result document: stdout carries the request log, one JSON line per request
  }
}

/** What the server serves for this model, said plainly: a model without `api` tables or orders serves little. */
function servedLines(api: Api): string[] {
  const lines =
    api.tables.length > 0
      ? [`  tables (destination api): ${api.tables.map((t) => `${TABLES_PATH}/${t}`).join(', ')}`]
      : ['  no table has "destination": "api" in the model: no table routes (set it on the tables to serve)'];
  for (const name of api.extensions.served) lines.push(`  ${name} extension: /${name}`);
  for (const { name, reason } of api.extensions.skipped) lines.push(`  ${name} extension not served: ${reason}`);
  return lines;
}
