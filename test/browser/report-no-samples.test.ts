// A run too short for one interval sample: its report still opens cleanly in the browser (no
// error, no request), says there is nothing over time, and draws the one chart it has.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/index.js';
import { syntheticResult } from '../helpers/reportFixture.js';
import { chartInk, launch, watch, type Browser } from './chromium.js';

describe('a report without samples, in a browser', () => {
  let dir: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'iocp-bench-report-'));
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['round trips but no sample', 500, 1],
    ['no round trip at all', 0, 0],
  ])('%s: a clean page', async (_name, roundTrips, charts) => {
    const file = path.join(dir, `r${roundTrips}.html`);
    writeFileSync(file, renderReport(syntheticResult({ samples: 0, roundTrips })));
    const page = await browser.context.newPage();
    const log = watch(page);
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    expect(await page.locator('#no-samples').isVisible()).toBe(true);
    await page.waitForFunction(() => [...document.querySelectorAll('.chart')].every((c) => c.getAttribute('data-drawn') === '1'), null, { timeout: 30_000 });
    const ink = await chartInk(page);
    expect(ink.map((c) => c.id)).toEqual(charts ? ['chart-spectrum'] : []);
    for (const c of ink) expect(c.seriesInk, c.id).toBeGreaterThan(100);
    expect(log.errors).toEqual([]);
    expect(log.requests).toEqual([pathToFileURL(file).href]);
    await page.close();
  });
});
