// A flood's HTML report opened in a real headless chromium from disk: it makes no request but
// for the file itself and logs no error, every chart draws its lines, and the verdict on the page
// is the result's. Screenshots in light and dark mode go to .cache/browser/ for a person to see.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';
import { syntheticResult } from '../helpers/reportFixture.js';
import { REPO } from '../helpers/serverProcess.js';
import { chartInk, launch, watch, type Browser } from './chromium.js';

const SHOTS = path.join(REPO, '.cache/browser');

describe('the HTML report in a browser', () => {
  let dir: string;
  let browser: Browser;
  let html: string;
  let result: { verdict: string };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'iocp-bench-report-'));
    const json = path.join(dir, 'result.json');
    html = path.join(dir, 'report.html');
    writeFileSync(json, JSON.stringify(syntheticResult({ openLoop: true })));
    const r = await runCliProcess(['report', json, '-o', html], 60_000);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    result = JSON.parse(readFileSync(json, 'utf8'));
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`opens from disk and draws every chart (${scheme})`, async () => {
      const page = await browser.context.newPage();
      await page.emulateMedia({ colorScheme: scheme });
      const log = watch(page);
      const url = pathToFileURL(html).href;
      await page.goto(url, { waitUntil: 'load' });
      const charts = await page.locator('.chart').count();
      expect(charts).toBeGreaterThanOrEqual(4);
      await page.waitForFunction(() => [...document.querySelectorAll('.chart')].every((c) => c.getAttribute('data-drawn') === '1'), null, { timeout: 30_000 });

      const ink = await chartInk(page);
      for (const c of ink) {
        expect(c.width, c.id).toBeGreaterThan(200);
        expect(c.painted, `${c.id}: drawn pixels`).toBeGreaterThan(c.width * c.height * 0.005);
        expect(c.seriesInk, `${c.id}: pixels of its series' colours`).toBeGreaterThan(100);
      }
      expect((await page.locator('#verdict').textContent())?.trim()).toBe(result.verdict);

      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, scheme === 'light' ? 'report.png' : 'report-dark.png'), fullPage: true });
      expect(log.errors).toEqual([]);
      expect(log.failed).toEqual([]);
      expect(log.requests).toEqual([url]);
      await page.close();
    });
  }
});
