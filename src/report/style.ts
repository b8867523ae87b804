/** The report page's CSS: light and dark (prefers-color-scheme), printable; the chart palette. */
export const STYLE = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --card: #f6f8fa; --border: #d1d9e0; --grid: rgba(31, 35, 40, 0.12);
  --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700;
  --c0: #2563eb; --c1: #ea580c; --c2: #059669; --c3: #dc2626; --c4: #7c3aed; --c5: #a16207;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --card: #151b23; --border: #3d444d; --grid: rgba(230, 237, 243, 0.14);
    --pass: #3fb950; --fail: #f85149; --warn: #d29922;
    --c0: #60a5fa; --c1: #fb923c; --c2: #34d399; --c3: #f87171; --c4: #a78bfa; --c5: #facc15;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; border-bottom: 1px solid var(--border); padding-bottom: 4px; }
h3 { font-size: 14px; margin: 0 0 6px; }
.muted, .note { color: var(--muted); }
.verdict { display: inline-block; font-size: 26px; font-weight: 700; padding: 2px 14px; border-radius: 6px; border: 2px solid currentColor; margin: 10px 0; }
.verdict.pass { color: var(--pass); }
.verdict.fail { color: var(--fail); }
.reasons li { color: var(--fail); }
.warnings li, .warn { color: var(--warn); }
.good { color: var(--pass); }
.bad { color: var(--fail); }
table { border-collapse: collapse; margin: 6px 0 12px; }
th, td { border: 1px solid var(--border); padding: 3px 10px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { background: var(--card); }
table.params td, table.params th { text-align: left; }
dl.params { display: grid; grid-template-columns: repeat(auto-fill, minmax(270px, 1fr)); gap: 6px 16px; margin: 0; }
dl.params div { border-left: 3px solid var(--border); padding-left: 8px; }
dl.params dt { color: var(--muted); font-size: 12px; }
dl.params dd { margin: 0; overflow-wrap: anywhere; }
tbody th { background: var(--card); font-weight: 600; white-space: nowrap; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 16px; }
.card { background: var(--card); border: 1px solid var(--border); border-radius: 8px; padding: 12px; min-width: 0; break-inside: avoid; }
.chart { width: 100%; min-height: 280px; }
.uplot { color: var(--fg); }
.u-legend { font-size: 12px; }
code { font-size: 12px; }
ul.samples { font-family: ui-monospace, monospace; font-size: 12px; }
@page { margin: 12mm; }
@media print {
  :root {
    color-scheme: light;
    --bg: #ffffff; --fg: #000000; --muted: #444444; --card: #ffffff; --border: #999999; --grid: rgba(0, 0, 0, 0.15);
    --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700;
    --c0: #2563eb; --c1: #ea580c; --c2: #059669; --c3: #dc2626; --c4: #7c3aed; --c5: #a16207;
  }
  main { max-width: none; padding: 0; }
  .grid { display: block; }
  .card { margin-bottom: 12px; page-break-inside: avoid; }
  h2 { break-after: avoid; }
}
`;
