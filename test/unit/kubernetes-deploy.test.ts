// deploy/: the Kubernetes manifests validate against the Kubernetes object schemas (offline,
// kubernetes-models); the Indexed Job's pod command, rendered by a shell for index 2 of 4, is a
// flood command line this CLI accepts, running shard 3/4; the Dockerfile parses, FROM first,
// every instruction known, an ENTRYPOINT or CMD present, every COPY source in the repository.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Service } from 'kubernetes-models/v1/Service';
import { resolveFloodOptions } from '../../src/client/options.js';
import { parseFloodArgv } from '../helpers/floodArgv.js';
import { REPO } from '../helpers/serverProcess.js';

const K8S = path.join(REPO, 'deploy', 'kubernetes');
const read = (file: string) => JSON.parse(readFileSync(path.join(K8S, file), 'utf8'));

describe('deploy/kubernetes', () => {
  it('validates against the Kubernetes schemas', () => {
    const deployment = new Deployment(read('echo-server.deployment.json'));
    const service = new Service(read('echo-server.service.json'));
    const job = new Job(read('flood.job.json'));
    for (const m of [deployment, service, job]) expect(() => m.validate()).not.toThrow();
    // A wrong field type is caught: the validation is real.
    expect(() => new Job({ ...read('flood.job.json'), spec: { ...read('flood.job.json').spec, parallelism: 'four' } }).validate()).toThrow();
    expect(service.spec!.selector).toEqual(deployment.spec!.selector.matchLabels);
    const spec = job.spec!;
    expect(spec.completionMode).toBe('Indexed');
    const shards = job.spec!.template.spec!.containers[0]!.env!.find((e) => e.name === 'SHARDS')!.value;
    expect([spec.parallelism, spec.completions]).toEqual([Number(shards), Number(shards)]);
  });

  // The pod's command is a POSIX shell's, as in the image: run it where sh is.
  it.skipIf(process.platform === 'win32')("renders the pod command for index 2 of 4 as a flood of shard 3/4 this CLI accepts", () => {
    const container = read('flood.job.json').spec.template.spec.containers[0];
    expect(container.command).toEqual(['sh', '-c']);
    const dir = mkdtempSync(path.join(tmpdir(), 'iocp-bench-pod-'));
    try {
      // A stand-in iocp-bench on the PATH prints the arguments it got, one a line.
      const fake = path.join(dir, 'iocp-bench');
      writeFileSync(fake, '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n');
      chmodSync(fake, 0o755);
      const env: Record<string, string> = { PATH: `${dir}${path.delimiter}${process.env.PATH}`, JOB_COMPLETION_INDEX: '2' };
      for (const e of container.env) env[e.name] = e.value;
      const startAt = new Date(Date.now() + 3600e3).toISOString();
      env.START_AT = startAt;
      const out = execFileSync('sh', ['-c', container.args[0]], { env, encoding: 'utf8' });
      const argv = out.trimEnd().split('\n');
      expect(argv.slice(0, 2)).toEqual(['flood', 'iocp-echo:7777']);
      expect(argv.slice(argv.indexOf('--shard'), argv.indexOf('--shard') + 2)).toEqual(['--shard', '3/4']);
      const o = resolveFloodOptions(parseFloodArgv(argv.slice(1)));
      expect(o.shard).toEqual({ index: 3, count: 4 });
      expect(o.seed).toBe(42);
      expect(o.startAt).toBe(Date.parse(startAt));
      expect(o.plan.connections).toBe(24_000);
      expect(o.connections).toBe(6000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const INSTRUCTIONS = new Set(['FROM', 'RUN', 'CMD', 'LABEL', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL', 'MAINTAINER']);

/** Dockerfile instructions: comments and blank lines dropped, `\` continuations joined. */
function parseDockerfile(text: string): { op: string; args: string }[] {
  const out: { op: string; args: string }[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    pending += line.endsWith('\\') ? `${line.slice(0, -1)} ` : line;
    if (line.endsWith('\\')) continue;
    const m = /^(\S+)\s+(.*)$/.exec(pending);
    if (!m) throw new Error(`not an instruction: ${pending}`);
    out.push({ op: m[1]!.toUpperCase(), args: m[2]! });
    pending = '';
  }
  return out;
}

describe('deploy/Dockerfile', () => {
  it('parses: FROM first, every instruction known, an entry point, COPY sources present', () => {
    const steps = parseDockerfile(readFileSync(path.join(REPO, 'deploy', 'Dockerfile'), 'utf8'));
    expect(steps[0]!.op).toBe('FROM');
    for (const s of steps) expect(INSTRUCTIONS.has(s.op), s.op).toBe(true);
    expect(steps.some((s) => s.op === 'ENTRYPOINT' || s.op === 'CMD')).toBe(true);
    const entry = steps.filter((s) => s.op === 'ENTRYPOINT' || s.op === 'CMD').map((s) => JSON.parse(s.args) as string[]);
    expect(entry.every((e) => Array.isArray(e))).toBe(true);
    for (const s of steps.filter((x) => x.op === 'COPY' && !x.args.startsWith('--from'))) {
      const parts = s.args.split(/\s+/);
      for (const src of parts.slice(0, -1)) expect(existsSync(path.join(REPO, src)), src).toBe(true);
    }
  });
});
