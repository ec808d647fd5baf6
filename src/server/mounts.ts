/** Where the documents and tRPC are served: app.ts mounts them here and GET / advertises them. */
export const MOUNTS = { docs: '/docs', openapi: '/openapi.json', trpc: '/trpc' } as const;
