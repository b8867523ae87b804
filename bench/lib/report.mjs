// The bench's printed output: one table of every server and cell with ratios, the flood
// comparison, the project's performance targets as met / not met, and the caveats.
import os from 'node:os';
import Table from 'cli-table3';

const fmtRate = (n) => (n === null || n === undefined ? '-' : n >= 10_000 ? `${(n / 1000).toFixed(1)}k` : String(Math.round(n)));
const fmtUs = (n) => (n === null || n === undefined ? '-' : String(Math.round(n)));
const ratio = (a, b) => (a === null || a === undefined || !b ? null : a / b);
const fmtRatio = (r) => (r === null ? '-' : r.toFixed(2));
/** Targets are judged on unrounded ratios: show enough digits that 0.797 does not read as 0.80. */
const fmtRatio3 = (r) => (r === null ? '-' : r.toFixed(3));
const kib = (b) => (b === null || b === undefined ? '-' : (b / 1024).toFixed(2));

/** Median of the finite numbers in xs, or null when there are none. */
export const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Median over rounds of (a's rate ÷ b's rate in the same round), per cell, with each round's
 * ratio in round order. A ratio of medians can pair one server's slow round with another's fast
 * one when the machine's speed drifts between rounds; a paired ratio compares samples of the same
 * round (taken back to back for the judged pairs: measureOrder).
 */
export function pairedRatios(rows, cells, a, b) {
  return cells.map((cell) => {
    const rate = (r) => (cell.mode === 'churn' ? r.connections_per_s : r.msgs_per_s);
    const rs = [];
    for (const ra of rows.filter((r) => r.server === a && r.cell === cell.id)) {
      const rb = rows.find((r) => r.server === b && r.cell === cell.id && r.run === ra.run);
      if (rb && rate(rb)) rs.push(rate(ra) / rate(rb));
    }
    return { id: cell.id, r: median(rs), rounds: rs.map((x) => +x.toFixed(3)) };
  });
}

export function renderReport({ result, servers, cells, med, idle, flood, floodMed, faults, o, disturbedPct }) {
  const out = [];
  const ncpu = os.availableParallelism();
  const hasC = servers.includes('c');
  const hasNode = servers.includes('node');
  const hasUring = servers.includes('c-uring');
  /** Server CPU per echo (per connection in churn cells), µs: its CPU share over the rate. */
  const perEcho = (m) => m?.srvUsPerOp ?? null;

  const t = new Table({
    head: ['cell', 'server', 'rate', '×C', '×uring', '×node', 'p50 µs', '×C', '×node', 'p99 µs', '×C', '×node', 'CPU% srv/cli/oth', 'srv µs/echo', '×C', '×uring', 'clean'],
    colAligns: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    style: { head: [], border: [], compact: true },
  });
  for (const cell of cells) {
    const c = med.c?.[cell.id];
    const u = med['c-uring']?.[cell.id];
    const n = med.node?.[cell.id];
    let first = true;
    for (const s of servers) {
      const m = med[s]?.[cell.id];
      if (!m) continue;
      const label = first ? `${cell.id}${cell.mode === 'churn' ? ' (conn/s)' : ' (msg/s)'}` : '';
      first = false;
      t.push([
        label,
        s,
        fmtRate(m.rate),
        hasC ? fmtRatio(ratio(m.rate, c?.rate)) : '-',
        hasUring ? fmtRatio(ratio(m.rate, u?.rate)) : '-',
        hasNode ? fmtRatio(ratio(m.rate, n?.rate)) : '-',
        fmtUs(m.p50),
        hasC ? fmtRatio(ratio(m.p50, c?.p50)) : '-',
        hasNode ? fmtRatio(ratio(m.p50, n?.p50)) : '-',
        fmtUs(m.p99),
        hasC ? fmtRatio(ratio(m.p99, c?.p99)) : '-',
        hasNode ? fmtRatio(ratio(m.p99, n?.p99)) : '-',
        [m.srvCpu, m.cliCpu, m.otherCpu].map((x) => (x === null ? '-' : Math.round(x))).join('/'),
        perEcho(m) === null ? '-' : perEcho(m).toFixed(1),
        hasC ? fmtRatio(ratio(perEcho(m), perEcho(c))) : '-',
        hasUring ? fmtRatio(ratio(perEcho(m), perEcho(u))) : '-',
        `${m.clean}/${m.runs}${m.clean ? '' : ' !'}`,
      ]);
    }
  }
  let first = true;
  for (const s of servers) {
    const r = idle[s];
    if (!r) continue;
    t.push([
      first ? `idle ${r.sessions} (KiB RSS/session)` : '',
      s,
      kib(r.perSessionBytes),
      fmtRatio(ratio(r.perSessionBytes, idle.c?.perSessionBytes)),
      fmtRatio(ratio(r.perSessionBytes, idle.node?.perSessionBytes)),
      '', '', '', '', '', '',
      `${(r.rssBefore / 2 ** 20).toFixed(0)}→${(r.rssAfter / 2 ** 20).toFixed(0)} MiB`,
      '',
    ]);
    first = false;
  }
  out.push('');
  out.push(`median of ${o.runs} run(s), ${o.duration} s measured windows${o.warmup > 0 ? ` after ${o.warmup} s of unmeasured warm-up on the same server` : ''}, same client for every server: echo_client -t 2`);
  out.push(`rate = messages/s (echo, one message in flight per connection) or connections/s (churn: connect, echo, RST);`);
  out.push(`×C and ×node = this figure divided by the C reference's / our node backend's in this run (latency, memory: lower is better)`);
  out.push(t.toString());
  out.push(`CPU%: median % of one core over the measured client run (its connection set-up included) used by the server / the client / everything else on the box.`);
  out.push(`clean: samples during which everything else used <= ${disturbedPct}% of a core; the medians are over those when there are any,`);
  out.push(`       over all samples when there are none (marked !). Raw samples: the JSON file.`);
  out.push(`NOTE: client and server share this machine's ${ncpu} CPUs (nothing pinned): every rate is client + server together on this box, not server capacity.`);
  // Where the gap to C comes from, when the two servers that split it were measured.
  const echoIds = cells.filter((c) => c.mode === 'echo').map((c) => c.id);
  const perCell = (a, b) => echoIds.map((id) => fmtRatio(ratio(med[a]?.[id]?.rate, med[b]?.[id]?.rate)).padStart(6)).join('');
  const split = [
    ['floor', 'c', 'floor ×C', "C's design in JavaScript over koffi: the price of calling the kernel from JavaScript"],
    ['uring-floor', 'c-uring', 'uring-floor ×uring', "c-uring's design in JavaScript over koffi: the price of driving io_uring's rings from JavaScript"],
    ['c-shared', 'c', 'c-shared ×C', 'C with both threads on one epoll set, re-armed per message (EPOLLONESHOT): a shared port in C'],
    ['epoll', 'floor', 'epoll ÷ floor', 'the price of the completion contract (shared port, refcounted sessions, per-session state)'],
    ['epoll', 'c-shared', 'epoll ÷ c-shared', 'our server against C with a shared port'],
    ['epoll', 'epoll-plain', 'epoll ÷ plain', 'what batching each worker\'s recv/send calls through io_uring buys'],
  ].filter(([a, b]) => servers.includes(a) && servers.includes(b));
  // epoll ÷ C and ÷ c-uring round by round, per cell, when both ran and there are rounds to pair
  // (printed here, and beside the targets' ratios below).
  const paired = {};
  for (const b of ['c', 'c-uring'])
    if (servers.includes('epoll') && servers.includes(b) && o.runs > 1) paired[b] = pairedRatios(result.raw.cells, cells, 'epoll', b);
  for (const [b, label] of [['c', 'C'], ['c-uring', 'uring']].filter(([b]) => paired[b])) {
    out.push(`epoll ×${label} paired (median over rounds of epoll ÷ ${b} in the same round; each round in order): ${paired[b].map((x) => `${x.id.replace('echo ', '')}: ${fmtRatio(x.r)} [${x.rounds.join(' ')}]`).join(', ')}`);
  }
  if (split.some(([a, b]) => a !== 'epoll' || b !== 'c')) {
    out.push(`where the gap to C comes from (rate ratios per echo cell: ${echoIds.map((id) => id.replace('echo ', '')).join(', ')}):`);
    for (const [a, b, label, what] of split) out.push(`  ${label.padEnd(19)}${perCell(a, b)}   ${what}`);
  }
  const dirty = cells.flatMap((c) => servers.filter((s) => med[s]?.[c.id] && !med[s][c.id].clean).map((s) => `${s} ${c.id}`));
  if (dirty.length) out.push(`WARNING: other work on the box disturbed every sample of ${dirty.length} row(s) (${dirty.join('; ')}): compare those with care.`);

  // Flood engine vs the C client, on the C server.
  out.push('');
  if (flood.status !== 'ran') {
    out.push(`flood engine vs echo_client: SKIPPED (${flood.reason})`);
  } else {
    const ft = new Table({
      head: ['on the C server', 'client', 'rate', '×echo_client', 'steady', '×echo_client', 'p50 µs', 'p99 µs', 'CPU µs/msg', '×echo_client', 'other CPU%'],
      colAligns: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
      style: { head: [], border: [], compact: true },
    });
    for (const kind of ['echo', 'churn']) {
      const base = floodMed[`${kind}/echo_client`];
      for (const client of ['echo_client', 'flood']) {
        const m = floodMed[`${kind}/${client}`];
        if (!m) continue;
        ft.push([
          client === 'echo_client' ? (kind === 'echo' ? 'closed loop c=100 s=64 (msg/s)' : 'churn c=50 s=64 (conn/s)') : '',
          client,
          fmtRate(m.rate),
          fmtRatio(ratio(m.rate, base?.rate)),
          client === 'flood' ? fmtRate(m.steadyRate) : '',
          client === 'flood' ? fmtRatio(ratio(m.steadyRate, base?.rate)) : '',
          fmtUs(m.p50),
          fmtUs(m.p99),
          m.cpuUs == null ? '-' : m.cpuUs.toFixed(1),
          client === 'flood' ? fmtRatio(ratio(m.cpuUs, base?.cpuUs)) : '',
          m.otherCpu == null ? '-' : String(Math.round(m.otherCpu)),
        ]);
      }
    }
    out.push(`flood engine vs echo_client on the C reference server (median of ${o.runs}); flood with every byte verified:`);
    out.push(ft.toString());
    const ex = flood.rows.filter((r) => r.client === 'flood');
    const echoArgv = ex.find((r) => r.kind === 'echo')?.argv;
    const churnArgv = ex.find((r) => r.kind === 'churn')?.argv;
    if (echoArgv) out.push(`  closed loop: ${echoArgv}`);
    if (churnArgv) out.push(`  churn:       ${churnArgv}`);
    out.push(`  rate: the flood's own figure, over its whole run (set-up, its threads' JIT warm-up and the drain at its end included);`);
    out.push(`  steady: (count of that run - count of a run a quarter as long) / (time difference), the fixed costs cancelled;`);
    out.push(`  echo_client's rate is measured after its warm-up (every connection has echoed once);`);
    out.push(`  other CPU%: what everything but the server and the client used during the run, % of one core (the flood: the larger of its two runs').`);
  }

  // The project's performance targets (README, "Performance").
  const targets = [];
  const add = (name, met, detail) => targets.push({ name, status: met === null ? 'not measured' : met ? 'met' : 'not met', detail });
  const echoCells = cells.filter((c) => c.mode === 'echo');
  const ep = med.epoll ?? {};
  const rs = (den) => echoCells.map((c) => ({ id: c.id, r: ratio(ep[c.id]?.rate, den?.[c.id]?.rate) }));
  const all = (xs, min) => (xs.some((x) => x.r === null) ? null : xs.every((x) => x.r >= min));
  const list = (xs) => xs.map((x) => `${x.id.replace('echo ', '')}: ${fmtRatio3(x.r)}`).join(', ');
  const vsC = rs(med.c);
  add('epoll >= 0.8x C msg/s in every echo cell', all(vsC, 0.8), list(vsC));
  const vsN = rs(med.node);
  add('epoll >= 2x node backend msg/s in every echo cell', all(vsN, 2), list(vsN));
  const churn = cells.find((c) => c.mode === 'churn').id;
  const ch = ratio(ep[churn]?.rate, med.c?.[churn]?.rate);
  add('epoll >= 0.8x C conn/s under churn', ch === null ? null : ch >= 0.8, `${fmtRatio3(ch)}`);
  // Judged on both of the flood's figures: the whole run, and the steady rate.
  for (const [kind, unit] of [['echo', 'msg/s'], ['churn', 'conn/s']]) {
    const base = floodMed[`${kind}/echo_client`]?.rate;
    const whole = ratio(floodMed[`${kind}/flood`]?.rate, base);
    const st = ratio(floodMed[`${kind}/flood`]?.steadyRate, base);
    add(`flood >= 0.8x echo_client ${unit} on the C server, whole run`, whole === null ? null : whole >= 0.8, whole === null ? flood.reason ?? 'no data' : fmtRatio3(whole));
    add(`flood >= 0.8x echo_client ${unit} on the C server, steady`, st === null ? null : st >= 0.8, st === null ? flood.reason ?? 'no data' : fmtRatio3(st));
  }
  const im = idle.epoll?.perSessionBytes;
  add(
    `10,000 idle sessions <= 2 KiB RSS each (epoll)`,
    im === undefined ? null : im <= 2048,
    im === undefined ? 'not measured' : `${kib(im)} KiB${idle.node ? ` (node backend ${kib(idle.node.perSessionBytes)} KiB)` : ''}`,
  );
  add('zero data faults in every run', faults.length === 0, faults.length ? `${faults.length} fault(s), see below` : 'none');

  // Against the fastest C server this box runs: rate and CPU per echo (µs) beside c-uring and C,
  // and the flood's rate and CPU per verified message beside echo_client's.
  // Judged on the ratio of medians, as the table shows it; each cell's paired median (over rounds
  // of epoll ÷ that server in the same round) is given beside it when there are rounds to pair.
  // (The cells are the echo cells and the churn cell.)
  const vsRef = (name, label) => {
    if (!servers.includes(name)) return add(`epoll >= 1.0x ${label} in every echo cell and under churn`, null, `${name} not run`);
    const xs = cells.map((c) => ({ id: c.id, r: ratio(ep[c.id]?.rate, med[name]?.[c.id]?.rate) }));
    const detail = xs.map((x, i) => `${x.id.replace('echo ', '')}: ${fmtRatio3(x.r)}${paired[name]?.[i]?.r != null ? ` (paired ${fmtRatio(paired[name][i].r)})` : ''}`).join(', ');
    add(`epoll >= 1.0x ${label} in every echo cell and under churn`, all(xs, 1), detail);
  };
  vsRef('c-uring', 'c-uring');
  vsRef('c', 'C');
  const cpu = echoCells.map((c) => ({ id: c.id, r: ratio(perEcho(ep[c.id]), perEcho(med['c-uring']?.[c.id])) }));
  add(
    "epoll CPU per echo <= 1.0x c-uring's in every echo cell",
    hasUring ? (cpu.some((x) => x.r === null) ? null : cpu.every((x) => x.r <= 1)) : null,
    hasUring ? list(cpu) : 'c-uring not run',
  );
  for (const [kind, what] of [['echo', 'closed loop'], ['churn', 'churn']]) {
    const f = floodMed[`${kind}/flood`];
    const b = floodMed[`${kind}/echo_client`];
    const r = ratio(f?.rate, b?.rate);
    const c = ratio(f?.cpuUs, b?.cpuUs);
    add(
      `flood >= 1.0x echo_client (${what}, whole run) at <= 1.0x its CPU per verified message`,
      r === null || c === null ? null : r >= 1 && c <= 1,
      r === null || c === null ? flood.reason ?? 'no data' : `rate ${fmtRatio3(r)}, CPU ${fmtRatio3(c)}`,
    );
  }
  add('19,000 concurrent sessions, clean leak verdict, server RSS <= 1 KiB per session', null, 'npm run bench:sessions measures it');
  out.push('');
  out.push('performance targets:');
  for (const x of targets) out.push(`  ${x.status === 'met' ? 'MET    ' : x.status === 'not met' ? 'NOT MET' : 'N/A    '}  ${x.name}  [${x.detail}]`);
  return { text: out.join('\n'), targets };
}
