import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';
import { REPO } from './project.ts';

/** Debian's chromium, headless; CI installs it (.ci/run). */
export function launchBrowser(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** Where tests leave screenshots for people and CI to look at (not committed). */
export const ARTIFACTS = join(REPO, 'test/artifacts');

export interface OpenedPage {
  page: Page;
  /** Console errors and warnings, uncaught exceptions and failed loads, in order. */
  problems: string[];
  /** Every URL the page asked for, the page itself included. */
  requests: string[];
}

/** Opens `url` recording what went wrong; with `offline`, any request other than the page itself fails (and is recorded). */
export async function openPage(
  browser: Browser | BrowserContext,
  url: string,
  options: { offline?: boolean; width?: number } = {},
): Promise<OpenedPage> {
  const page = await browser.newPage();
  await page.setViewport({ width: options.width ?? 1400, height: 1000 });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${(e as Error).message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  await page.setRequestInterception(true);
  page.on('request', (r) => {
    requests.push(r.url());
    if (options.offline && r.url() !== url) void r.abort();
    else void r.continue();
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems, requests };
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
