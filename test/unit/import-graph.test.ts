// The source tree keeps its boundaries: no import cycle anywhere in src/, the flood reaches the
// server only through its public entry, and the shared native layer depends on neither half.
// (A small hand-written scan on purpose: every import in src/ is a relative literal specifier.)
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../../src');
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** A path relative to src/, with forward slashes on every OS. */
const rel = (file: string) => path.relative(SRC, file).split(path.sep).join('/');

/** file (relative to src/) -> the files it imports (relative to src/). */
export function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    const deps: string[] = [];
    for (const m of text.matchAll(IMPORT)) {
      const spec = (m[1] ?? m[2])!;
      deps.push(rel(path.resolve(path.dirname(file), spec)).replace(/\.js$/, '.ts'));
    }
    graph.set(rel(file), deps);
  }
  return graph;
}

/** Every cycle's members (strongly connected components of more than one file, or a self-import). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe('source layout', () => {
  const graph = importGraph();

  it('every relative import names a file that exists', () => {
    const missing = [...graph].flatMap(([f, deps]) => deps.filter((d) => !graph.has(d)).map((d) => `${f} -> ${d}`));
    expect(missing).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('the cycle finder finds a cycle when there is one', () => {
    const g = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(cycles(g)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('the flood imports nothing of the server but its public entry', () => {
    const bad = [...graph].flatMap(([f, deps]) =>
      f.startsWith('client/') ? deps.filter((d) => d.startsWith('server/') && d !== 'server/index.ts').map((d) => `${f} -> ${d}`) : [],
    );
    expect(bad).toEqual([]);
  });

  it('the native layer imports neither the server nor the flood', () => {
    const bad = [...graph].flatMap(([f, deps]) =>
      f.startsWith('native/') ? deps.filter((d) => d.startsWith('server/') || d.startsWith('client/')).map((d) => `${f} -> ${d}`) : [],
    );
    expect(bad).toEqual([]);
  });

  it('only binding files under native/ load libraries with koffi', () => {
    const bindings = [...graph.keys()].filter((f) => /\bkoffi\.(load|proto|struct|func)\b/.test(readFileSync(path.join(SRC, f), 'utf8')));
    expect(bindings.filter((f) => !f.startsWith('native/'))).toEqual([]);
  });

  it('OS backends import nothing of the server but the contract and shared state', () => {
    const allowed = new Set(['server/completion.ts', 'server/sessionTable.ts', 'server/counters.ts', 'server/types.ts']);
    const bad = [...graph].flatMap(([f, deps]) =>
      /^server\/(epoll|iocp|node)\//.test(f)
        ? deps.filter((d) => d.startsWith('server/') && !allowed.has(d) && path.dirname(d) !== path.dirname(f)).map((d) => `${f} -> ${d}`)
        : [],
    );
    expect(bad).toEqual([]);
  });
});
