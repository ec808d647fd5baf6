import { escapeIdentifier } from 'pg';
import { connect } from './connect.ts';

export interface ScratchDatabase {
  url: string;
  /** Drops and creates it again, empty. */
  recreate(): Promise<void>;
  drop(): Promise<void>;
}

/** A throwaway database on the server `serverUrl` points at (tests and benchmarks). */
export async function createScratchDatabase(serverUrl: string, name: string): Promise<ScratchDatabase> {
  const admin = async (sql: string) => {
    const server = await connect({ url: serverUrl });
    try {
      await server.query(sql);
    } finally {
      await server.close();
    }
  };
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const drop = () => admin(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`);
  const recreate = async () => {
    await drop();
    await admin(`CREATE DATABASE ${escapeIdentifier(name)}`);
  };
  await recreate();
  return { url: url.toString(), recreate, drop };
}
