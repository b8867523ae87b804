/**
 * Debian's chromium (scripts/browser/setup.sh installs it) driven by playwright-core: headless,
 * no network of its own, a fresh profile per launch; and what a page did while it was open.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.IOCP_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A browser with a fresh user-data-dir, removed on close(). */
export async function launch(): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'iocp-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** What a page logged and fetched: console errors, uncaught exceptions, requests and failed ones. */
export interface PageLog {
  errors: string[];
  requests: string[];
  failed: string[];
}

export function watch(page: Page): PageLog {
  const log: PageLog = { errors: [], requests: [], failed: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') log.errors.push(m.text());
  });
  page.on('pageerror', (e) => log.errors.push(`uncaught: ${e.message}`));
  page.on('request', (r) => log.requests.push(r.url()));
  page.on('requestfailed', (r) => log.failed.push(`${r.url()}: ${r.failure()?.errorText ?? 'failed'}`));
  return log;
}

export interface CanvasInk {
  id: string;
  width: number;
  height: number;
  /** Pixels drawn at all (not the transparent background). */
  painted: number;
  /** Pixels in the colour of one of its series (their lines, not just the axes and the grid). */
  seriesInk: number;
}

/** Reads every chart's canvas back and counts what was drawn on it. */
export function chartInk(page: Page): Promise<CanvasInk[]> {
  return page.evaluate(() => {
    return [...document.querySelectorAll<HTMLElement>('.chart')].map((el) => {
      const canvas = el.querySelector('canvas');
      if (!canvas) return { id: el.id, width: 0, height: 0, painted: 0, seriesInk: 0 };
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      // The series' colours, from the legend's swatches (uPlot sets them from the series' strokes;
      // the first row is the x axis's, in the text colour).
      const colours = [...el.querySelectorAll<HTMLElement>('.u-series:not(:first-child) .u-marker')]
        .map((m) => getComputedStyle(m).borderColor.match(/\d+/g)?.slice(0, 3).map(Number))
        .filter((c): c is number[] => c !== undefined && c.length === 3);
      const near = (i: number, c: number[]) => Math.abs(data[i]! - c[0]!) < 24 && Math.abs(data[i + 1]! - c[1]!) < 24 && Math.abs(data[i + 2]! - c[2]!) < 24;
      let painted = 0;
      let seriesInk = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3]! === 0) continue;
        painted++;
        if (data[i + 3]! > 200 && colours.some((c) => near(i, c))) seriesInk++;
      }
      return { id: el.id, width: canvas.width, height: canvas.height, painted, seriesInk };
    });
  });
}
