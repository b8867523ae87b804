// Process plumbing for the bench: spawning servers and clients, /proc readings, free ports.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { createInterface } from 'node:readline';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** utime + stime of every thread of a process, in seconds (null once it is gone). */
export function procCpuSeconds(pid, clkTck) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / clkTck;
  } catch {
    return null;
  }
}

/** VmRSS of a process in bytes. */
export function procRss(pid) {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

/** Machine-wide CPU time from /proc/stat: busy and total, in clock ticks (all CPUs). */
export function machineTicks() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  const v = line.trim().split(/\s+/).slice(1, 9).map(Number); // user nice system idle iowait irq softirq steal
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - v[3] - v[4], total };
}

/** A port that was free a moment ago (the C reference server refuses a bound port, so a race shows). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export function canConnect(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

export async function waitPort(port, child, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    if (await canConnect(port)) return true;
    await sleep(100);
  }
  return false;
}

/** Waits for a child to exit (resolves {code, signal}); after timeoutMs sends SIGKILL. */
export function waitExit(child, timeoutMs) {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode, killed: false });
  }
  return new Promise((resolve) => {
    let killed = false;
    const t = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(t);
      resolve({ code, signal, killed });
    });
  });
}

/**
 * Runs a command to completion, capturing stdout/stderr, sampling its CPU time every 100 ms
 * (the last sample before it exits is its CPU use). Kills it after timeoutMs.
 */
export function runCapture(cmd, args, { timeoutMs, clkTck, cwd } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let cpu = 0;
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
    const sampler = setInterval(() => {
      const c = procCpuSeconds(child.pid, clkTck);
      if (c !== null) cpu = c;
    }, 100);
    const killer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (e) => {
      err += String(e);
    });
    child.once('close', (code, signal) => {
      clearInterval(sampler);
      clearTimeout(killer);
      resolve({ code, signal, stdout: out, stderr: err, cpuSeconds: cpu, timedOut });
    });
  });
}

/** Lines of a stream, as an async queue with a timeout per line. */
export function lineReader(stream) {
  const lines = [];
  const waiters = [];
  let ended = false;
  const rl = createInterface({ input: stream });
  rl.on('line', (l) => (waiters.length ? waiters.shift().resolve(l) : lines.push(l)));
  rl.on('close', () => {
    ended = true;
    while (waiters.length) waiters.shift().resolve(null);
  });
  return {
    all: lines,
    next(timeoutMs) {
      if (lines.length) return Promise.resolve(lines.shift());
      if (ended) return Promise.resolve(null);
      return new Promise((resolve, reject) => {
        const w = { resolve: (v) => (clearTimeout(t), resolve(v)) };
        const t = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`no output within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(w);
      });
    },
  };
}
