import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { createTestApp, TestApp } from '../support/create-test-app';

/** Debian's chromium, driven by playwright-core: nothing is downloaded. launch() gives each run
 * a fresh temporary profile. */
const CHROMIUM = '/usr/bin/chromium';
const DOCS_KEY = 'docs-key-for-browser-test-0123';
const CHAT = '/native/v1/chat/completions';
export const SCREENSHOT = join(tmpdir(), 'sentinel-docs.png');

jest.setTimeout(60_000);

describe('Swagger UI in a real browser', () => {
  let browser: Browser;
  let open: TestApp;
  let keyed: TestApp;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error('docs browser test needs chromium: apt-get install chromium');
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    open = await createTestApp({ env: { DOCS_API_KEY: undefined } });
    keyed = await createTestApp({ env: { DOCS_API_KEY: DOCS_KEY } });
  });
  afterAll(async () => {
    await browser?.close();
    await open?.close();
    await keyed?.close();
  });

  it('renders the docs, lists the chat operation and fetches nothing from elsewhere', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));

    const response = await page.goto(`${open.url}/native/docs`);
    expect(response?.status()).toBe(200);
    const chat = page.locator('.opblock-summary-path', { hasText: CHAT });
    await chat.first().waitFor({ state: 'visible', timeout: 20_000 });
    await expect(page.locator('.info .title').innerText()).resolves.toContain('Sentinel');

    await chat.first().click();
    await page.locator('.opblock-body').first().waitFor({ state: 'visible' });
    await page.screenshot({ path: SCREENSHOT, fullPage: false });

    expect(failures).toEqual([]);
    expect(requested.length).toBeGreaterThan(3);
    for (const url of requested) expect(url.startsWith(`${open.url}/`)).toBe(true);
    await page.close();
  });

  it('renders behind DOCS_API_KEY when the browser sends x-docs-key, and not without it', async () => {
    const withKey = await browser.newContext({ extraHTTPHeaders: { 'x-docs-key': DOCS_KEY } });
    const page = await withKey.newPage();
    await page.goto(`${keyed.url}/native/docs`);
    await page
      .locator('.opblock-summary-path', { hasText: CHAT })
      .first()
      .waitFor({ state: 'visible', timeout: 20_000 });
    await withKey.close();

    const anonymous = await browser.newPage();
    const response = await anonymous.goto(`${keyed.url}/native/docs`);
    expect(response?.status()).toBe(401);
    await anonymous.close();
  });
});
