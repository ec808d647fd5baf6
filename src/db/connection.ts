// Only src/seed/verify.ts still imports this path (it switches to database.ts in its own branch); removed at merge.
export type { Database } from './database.ts';
