// A real flood's HTML report (flood --report) opened in a real headless chromium from disk: it
// makes no request but for the file itself and logs no error, every chart draws its lines, the
// verdict on the page is the JSON's, and the file names no URL. Screenshots in light and dark
// mode go to .cache/browser/ for a person to look at.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';
import { REPO } from '../helpers/serverProcess.js';
import type { ReportResult } from '../../src/report/index.js';
import { chartInk, launch, watch, type Browser } from './chromium.js';

const SHOTS = path.join(REPO, '.cache/browser');
/** The one URL uPlot's minified script carries: its licence banner, a comment. */
const UPLOT_BANNER = /\/\*! https:\/\/github\.com\/leeoniya\/uPlot \(v[\d.]+\) \*\//;

describe("a flood's HTML report in a browser", () => {
  let dir: string;
  let browser: Browser;
  let html: string;
  let result: ReportResult;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'iocp-bench-report-'));
    html = path.join(dir, 'report.html');
    // Open loop, so the spectrum has its corrected and uncorrected series; the embedded server,
    // so its counters are charted.
    const r = await runCliProcess(['flood', '-d', '3s', '-c', '20', '--msg-rate', '2000', '--seed', '11', '--json', '--no-progress', '--report', html], 90_000);
    expect(r.stderr).toBe(`flood: HTML report written to ${html}\n`);
    result = JSON.parse(r.stdout) as ReportResult;
    expect(r.code).toBe(result.verdict === 'PASS' ? 0 : 1);
    expect(result.samples.length).toBeGreaterThanOrEqual(2);
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('names no URL outside uPlot’s banner comment', () => {
    const text = readFileSync(html, 'utf8');
    expect(text.match(UPLOT_BANNER)).not.toBeNull();
    expect(text.replace(UPLOT_BANNER, '').match(/https?:\/\//g)).toBeNull();
    expect(text).not.toMatch(/\ssrc=|\shref=|<link|@import|url\(/i);
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`opens from disk and draws every chart (${scheme})`, async () => {
      const page = await browser.context.newPage();
      await page.emulateMedia({ colorScheme: scheme });
      const log = watch(page);
      const url = pathToFileURL(html).href;
      await page.goto(url, { waitUntil: 'load' });
      await page.waitForFunction(() => [...document.querySelectorAll('.chart')].every((c) => c.getAttribute('data-drawn') === '1'), null, { timeout: 30_000 });

      const ink = await chartInk(page);
      expect(ink.map((c) => c.id)).toEqual(['chart-messages', 'chart-bytes', 'chart-connections', 'chart-latency', 'chart-spectrum', 'chart-server']);
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
