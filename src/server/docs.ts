import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { Router } from 'express';
import type { ApiInfo } from './context.ts';
import { MOUNTS } from './mounts.ts';
import { openApiDocument } from './openapi.ts';

const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const assets = `${MOUNTS.docs}/assets`;

// everything from the local swagger-ui-dist package: the docs work offline and load nothing from a CDN
const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>ecom API docs</title><link rel="stylesheet" href="${assets}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="${assets}/swagger-ui-bundle.js"></script>
<script src="${MOUNTS.docs}/init.js"></script>
</body></html>`;

/** The OpenAPI document and Swagger UI rendering it. */
export function docsRouter(info: ApiInfo): Router {
  const router = Router();
  const doc = openApiDocument(info);
  router.get(MOUNTS.openapi, (_req, res) => void res.json(doc));
  router.get(MOUNTS.docs, (_req, res) => void res.type('html').send(DOCS_PAGE));
  router.get(
    `${MOUNTS.docs}/init.js`,
    (_req, res) => void res.type('js').send(`window.ui = SwaggerUIBundle({ url: '${MOUNTS.openapi}', dom_id: '#swagger-ui' });\n`),
  );
  router.use(assets, express.static(swaggerDir, { index: false, maxAge: '1h' }));
  return router;
}
