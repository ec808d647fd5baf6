import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Router } from 'express';
import { ProblemError } from './problem.ts';

export const REPORT_PATH = '/report';

/**
 * The latest `ecom report` page, read from disk on each request so a new report shows without a
 * restart. The page needs no script and nothing remote; its policy says so.
 */
export function reportRouter(file: string | undefined): Router {
  const router = Router();
  router.get(REPORT_PATH, (_req, res, next) => {
    if (!file || !existsSync(file)) return next(new ProblemError('not-found', 'no report yet: run `ecom report` (or `ecom run`)'));
    res.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    res.sendFile(resolve(file), (err) => {
      if (err && !res.headersSent) next(err);
    });
  });
  return router;
}
