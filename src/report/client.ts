/**
 * The report page's own script, as source text the page inlines after uPlot: it reads the charts
 * from the page's JSON data element and draws each with uPlot, sized to its container, in the
 * colours of the page's CSS variables; redrawn when the colour scheme changes and for printing.
 * Each chart's element gets data-drawn="1" once uPlot has drawn it.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var HEIGHT = 280;
  var live = [];

  function css(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }

  // 1234 -> 1.23k, 2500000 -> 2.5M, 0.125 -> 0.125: short tick and legend numbers.
  function fmt(v) {
    if (v == null || isNaN(v)) return '-';
    var a = Math.abs(v);
    if (a >= 1e9) return +(v / 1e9).toFixed(2) + 'G';
    if (a >= 1e6) return +(v / 1e6).toFixed(2) + 'M';
    if (a >= 1e4) return +(v / 1e3).toFixed(1) + 'k';
    if (a >= 100) return String(Math.round(v));
    return String(+v.toFixed(3));
  }

  // x = log10(1 / (1 - p)): 0 -> 0%, 1 -> 90%, 2 -> 99%, 3 -> 99.9%.
  function pct(x) {
    if (x <= 0) return '0%';
    var digits = Math.max(0, Math.ceil(x) - 2);
    return (100 * (1 - Math.pow(10, -x))).toFixed(digits) + '%';
  }

  function fromZero(u, min, max) { return [0, max > 0 ? max * 1.05 : 1]; }

  function build(spec) {
    var el = document.getElementById('chart-' + spec.id);
    var fg = css('--fg');
    var grid = css('--grid');
    var percentile = spec.xKind === 'percentile';
    var xAxis = {
      stroke: fg,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
      label: percentile ? 'percentile' : 'elapsed (s)',
    };
    if (percentile) {
      xAxis.splits = function (u) {
        var out = [];
        for (var i = 0; i <= Math.ceil(u.scales.x.max - 1e-9); i++) out.push(i);
        return out;
      };
      xAxis.values = function (u, splits) { return splits.map(pct); };
    }
    function yAxis(scale, label, side) {
      return {
        scale: scale, side: side, label: label, stroke: fg, size: 64,
        grid: { show: scale === 'y', stroke: grid, width: 1 },
        ticks: { stroke: grid, width: 1 },
        values: function (u, splits) { return splits.map(fmt); },
      };
    }
    var axes = [xAxis, yAxis('y', spec.units.y, 3)];
    var scales = { x: { time: false }, y: { range: fromZero } };
    if (spec.units.y2) {
      axes.push(yAxis('y2', spec.units.y2, 1));
      scales.y2 = { range: fromZero };
    }
    // Both x axes start at the run's start (0 s) or 0%.
    scales.x.range = function (u, min, max) { return [0, max > 0 ? max : 1]; };
    var series = [{ label: percentile ? 'percentile' : 'elapsed (s)', value: function (u, v) { return v == null ? '-' : percentile ? pct(v) : v.toFixed(1); } }];
    spec.series.forEach(function (s) {
      series.push({
        label: s.label,
        scale: s.scale,
        stroke: css('--c' + s.color),
        width: 2,
        dash: s.dash ? [6, 4] : undefined,
        spanGaps: false,
        points: { fill: css('--card') },
        value: function (u, v) { return fmt(v); },
      });
    });
    var opts = {
      width: Math.max(200, el.clientWidth),
      height: HEIGHT,
      series: series,
      axes: axes,
      scales: scales,
      legend: { show: true },
      hooks: { draw: [function () { el.setAttribute('data-drawn', '1'); }] },
    };
    var u = new uPlot(opts, [spec.x].concat(spec.series.map(function (s) { return s.values; })), el);
    live.push({ u: u, el: el });
  }

  function drawAll() {
    live.forEach(function (c) { c.u.destroy(); c.el.removeAttribute('data-drawn'); });
    live = [];
    data.charts.forEach(build);
  }

  drawAll();
  if (typeof ResizeObserver === 'function') {
    var resize = new ResizeObserver(function () {
      live.forEach(function (c) {
        var w = Math.max(200, c.el.clientWidth);
        if (w !== c.u.width) c.u.setSize({ width: w, height: HEIGHT });
      });
    });
    data.charts.forEach(function (spec) { resize.observe(document.getElementById('chart-' + spec.id)); });
  }
  // New colours for a new scheme, and the print palette (light, page-wide) for printing.
  ['(prefers-color-scheme: dark)', 'print'].forEach(function (q) {
    var m = window.matchMedia(q);
    if (m.addEventListener) m.addEventListener('change', drawAll);
  });
})();
`;
