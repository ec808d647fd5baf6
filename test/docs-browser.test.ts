// /docs in a real browser (headless Chromium): Swagger UI renders every operation and runs one under
// the server's Content-Security-Policy, with no CSP violation and no script error.
import { existsSync } from 'node:fs';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededApi, type SeededApi } from './helpers/api.ts';
import { launchBrowser } from './helpers/browser.ts';
import { backends } from './helpers/databases.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe.skipIf(!existsSync(CHROMIUM))(`/docs in headless Chromium (${CHROMIUM})`, () => {
  let s: SeededApi;
  let browser: Browser;
  beforeAll(async () => {
    s = await seededApi(
      backends.find((b) => b.name === 'pglite')!,
      {},
      { seeded: false },
    ); // the page, not the data
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  it('renders every operation and "Try it out" gets a 200, without CSP violations or page errors', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${(e as Error).message}`));
    page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
    await page.evaluateOnNewDocument(() =>
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)),
    );
    const response = await page.goto(`${s.api.url}/docs`, { waitUntil: 'networkidle0' });
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForSelector('.opblock-summary-path', { timeout: 30_000 });
    const paths = await page.$$eval('.opblock-summary-path', (els) => els.map((e) => e.getAttribute('data-path')));
    expect(paths.sort()).toEqual(s.api.api.routes.map((r) => r.path).sort());
    expect(await page.$eval('.info .title', (e) => e.textContent)).toMatch(/^ecom API/);

    // run GET /orders/stats/summary from the page: the call goes out under connect-src 'self'
    await page.click('#operations-default-orderStats .opblock-summary');
    await page.waitForSelector('#operations-default-orderStats .try-out__btn');
    await page.click('#operations-default-orderStats .try-out__btn');
    await page.click('#operations-default-orderStats .execute');
    await page.waitForSelector('#operations-default-orderStats .live-responses-table tbody .response-col_status');
    const status = await page.$eval(
      '#operations-default-orderStats .live-responses-table tbody .response-col_status',
      (e) => e.textContent,
    );
    expect(status?.trim()).toBe('200');
    expect(problems).toEqual([]);
  });
});
