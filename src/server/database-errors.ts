/**
 * Recognises the errors that mean "the database cannot answer right now" (as opposed to a bug), and
 * says why in words safe for a client: no host names, SQL, codes or stack. Prisma wraps the driver
 * adapter's mapped error in `meta.driverAdapterError.cause`; PGlite and pg throw plain errors.
 */

/** The driver adapters' error kinds (@prisma/driver-adapter-utils) that are about reaching the database. */
const ADAPTER_KINDS: Record<string, string> = {
  DatabaseNotReachable: 'the database server does not accept connections',
  DatabaseDoesNotExist: 'the database does not exist',
  DatabaseAccessDenied: 'the database refused access',
  AuthenticationFailed: 'the database refused the credentials',
  ConnectionClosed: 'the database closed the connection',
  TlsConnectionError: 'the TLS connection to the database failed',
  TooManyConnections: 'the database has too many connections',
  SocketTimeout: 'the connection to the database timed out',
};

/** PostgreSQL SQLSTATEs that mean unavailable, by exact code or class (first two characters). */
const SQLSTATES: Record<string, string> = {
  '08': 'the connection to the database failed',
  '53': 'the database is out of resources',
  '57P01': 'the database is shutting down',
  '57P02': 'the database is shutting down',
  '57P03': 'the database is starting up',
  '57014': 'a query ran past the statement timeout',
  '55P03': 'a table the request reads is locked',
};

/** Prisma's own error codes for connection problems. */
const PRISMA_CODES: Record<string, string> = {
  P1001: 'the database server does not accept connections',
  P1002: 'the connection to the database timed out',
  P1008: 'the database did not answer in time',
  P1017: 'the database closed the connection',
  P2024: 'no database connection became free in time',
};

/** node:net and pg errors seen when the server or the connection goes away. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE']);
const MESSAGES: [RegExp, string][] = [
  [/PGlite is closed/, 'the embedded database is closed'],
  [/Cannot use a pool after calling end/, "the server's database connections are closed"],
  [/Connection terminated|connection (?:was )?closed|Client has encountered a connection error/i, 'the database closed the connection'],
  [/timeout exceeded when trying to connect/i, 'no database connection became free in time'],
];

interface Shape {
  code?: unknown;
  message?: unknown;
  kind?: unknown;
  severity?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: { cause?: unknown } };
}

/** Why the database is unavailable, when `error` says so; undefined for any other error. */
export function databaseUnavailableReason(error: unknown): string | undefined {
  for (let e = error as Shape | undefined, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const reason = reasonOf(e) ?? reasonOf(e.meta?.driverAdapterError?.cause as Shape | undefined);
    if (reason) return reason;
    e = e.cause as Shape | undefined;
  }
  return undefined;
}

function reasonOf(e: Shape | undefined): string | undefined {
  if (!e || typeof e !== 'object') return undefined;
  if (typeof e.kind === 'string' && ADAPTER_KINDS[e.kind]) return ADAPTER_KINDS[e.kind];
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code && PRISMA_CODES[code]) return PRISMA_CODES[code];
  if (code && SOCKET_CODES.has(code)) return 'the database server does not accept connections';
  if (code && /^[0-9A-Z]{5}$/.test(code)) {
    const state = SQLSTATES[code] ?? SQLSTATES[code.slice(0, 2)];
    if (state) return state;
    // a FATAL error ends the session: e.g. 55000 "database is not currently accepting connections"
    if (e.severity === 'FATAL' || e.severity === 'PANIC') return 'the database does not accept connections';
  }
  const message = typeof e.message === 'string' ? e.message : '';
  return MESSAGES.find(([pattern]) => pattern.test(message))?.[1];
}
