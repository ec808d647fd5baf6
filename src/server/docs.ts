import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { Router } from 'express';
import type { Api } from './api.ts';
import type { ApiInfo } from './context.ts';
import { MOUNTS } from './mounts.ts';
import { openApiDocument } from './openapi.ts';

const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const assets = `${MOUNTS.docs}/assets`;

// everything from the local swagger-ui-dist package: the docs work offline and load nothing from a CDN
const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>ecom API docs</title>
<link rel="icon" type="image/png" href="${assets}/favicon-32x32.png"><link rel="stylesheet" href="${assets}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="${assets}/swagger-ui-bundle.js"></script>
<script src="${MOUNTS.docs}/init.js"></script>
</body></html>`;

/**
 * The Content-Security-Policy of the pages (helmet, app.ts): what the docs page needs and no
 * more (checked in headless Chromium by test/docs-browser.test.ts). Scripts and styles only from
 * this server (the page has no inline script: init.js is a file; React sets styles through the
 * CSSOM, which CSP does not restrict); Swagger UI draws icons as data: images; it fetches the
 * document and "Try it out" calls from this origin.
 */
export const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/** The OpenAPI document and Swagger UI rendering it; they change with the server's version, so clients revalidate. */
export function docsRouter(info: ApiInfo, api: Api): Router {
  const router = Router();
  const doc = openApiDocument(info, api.routes);
  router.get(MOUNTS.openapi, (_req, res) => void res.set('Cache-Control', 'no-cache').json(doc));
  router.get(MOUNTS.docs, (_req, res) => void res.set('Cache-Control', 'no-cache').type('html').send(DOCS_PAGE));
  router.get(
    `${MOUNTS.docs}/init.js`,
    (_req, res) =>
      void res
        .set('Cache-Control', 'no-cache')
        .type('js')
        .send(`window.ui = SwaggerUIBundle({ url: '${MOUNTS.openapi}', dom_id: '#swagger-ui' });\n`),
  );
  router.use(assets, express.static(swaggerDir, { index: false, maxAge: '1h' }));
  return router;
}
