// A result saved with --json and rendered later with `iocp-bench report` is the same page as the
// one `flood --report` wrote from that run: the report is a function of the result alone. And the
// page's charts hold the result's own numbers, one point per interval sample.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';
import type { ReportResult } from '../../src/report/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'iocp-bench-report-saved-'));

describe('a saved result, rendered', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the same report as the run wrote, with the same numbers', async () => {
    const live = path.join(dir, 'live.html');
    const run = await runCliProcess(['flood', '-d', '2500ms', '-c', '20', '--seed', '3', '--json', '--no-progress', '--report', live], 90_000);
    expect(run.stderr).toBe(`flood: HTML report written to ${live}\n`);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as ReportResult;
    expect(result.samples.length).toBeGreaterThanOrEqual(2);

    const saved = path.join(dir, 'result.json');
    writeFileSync(saved, run.stdout);
    const later = path.join(dir, 'later.html');
    const r = await runCliProcess(['report', saved, '-o', later]);
    expect(r.code).toBe(0);
    const html = readFileSync(later, 'utf8');
    expect(html).toBe(readFileSync(live, 'utf8'));

    const charts = JSON.parse(/id="report-data">([^<]*)<\/script>/.exec(html)![1]!).charts as { id: string; x: number[]; series: { label: string; values: (number | null)[] }[] }[];
    const byId = (id: string) => charts.find((c) => c.id === id)!;
    expect(byId('messages').x).toEqual(result.samples.map((s) => s.elapsedMs / 1000));
    // A last interval under a quarter of --interval is a gap in the rates (report-short-last-interval).
    expect(byId('messages').series[0]!.values).toEqual(result.samples.map((s) => (s.intervalMs * 4 < result.intervalMs ? null : s.messages.perSec)));
    expect(byId('connections').series[0]!.values).toEqual(result.samples.map((s) => s.connections.active));
    expect(byId('server').series[0]!.values).toEqual(result.samples.map((s) => s.server?.live ?? null));
    // The spectrum ends at the run's maximum round trip (to the histogram's 3 significant digits).
    const maxMs = byId('spectrum').series[0]!.values.at(-1)!;
    expect(Math.abs(maxMs * 1000 - result.latencyUs.roundTrip.max)).toBeLessThanOrEqual(result.latencyUs.roundTrip.max / 500 + 1);
    expect(html).toContain(`id="verdict" class="verdict pass">PASS<`);
  });
});
