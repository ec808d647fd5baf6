/** Where the documents and tRPC are served: app.ts mounts them here and GET / advertises them. */
export const MOUNTS = { docs: '/docs', openapi: '/openapi.json', trpc: '/trpc' } as const;

/** Where the routes generated for the model's `api` tables live, beside hand-written ones such as /orders. */
export const TABLES_PATH = '/tables';
