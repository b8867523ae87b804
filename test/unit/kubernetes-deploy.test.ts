// deploy/: the Kubernetes manifests validate against the Kubernetes object schemas (offline,
// kubernetes-models) and hold together where the schemas cannot tell: selectors select the pods,
// named ports exist, the Job lets every shard finish, the pods spread over the nodes, and the pods
// meet the "restricted" Pod Security Standard; the pods run only on x86-64 nodes, the server's
// readiness probe is a TCP connect to its stats port, the flood's client threads are its CPU
// request, and memory is limited to the request, CPU not at all. The Indexed Job's pod command,
// rendered by a shell for index 2 of 4, is a flood command line this CLI accepts, running shard
// 3/4 on one client thread; the Dockerfile parses, FROM first and each FROM linux/amd64, every
// instruction known, an ENTRYPOINT or CMD present, every COPY source in the repository, a numeric
// user. (kubernetes-echo-server.test.ts runs the server's arguments.)
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Service } from 'kubernetes-models/v1/Service';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import { resolveFloodOptions } from '../../src/client/options.js';
import { parseFloodArgv } from '../helpers/floodArgv.js';
import { REPO } from '../helpers/serverProcess.js';

const K8S = path.join(REPO, 'deploy', 'kubernetes');
const read = (file: string) => JSON.parse(readFileSync(path.join(K8S, file), 'utf8'));

type Labels = Record<string, string> | undefined;

/** Whether a non-empty equality selector selects `labels`. */
const selects = (selector: Labels, labels: Labels): boolean =>
  selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** CPUs of a Kubernetes CPU quantity: `2`, `0.5`, `1500m`. */
function cpus(q: string | number | undefined): number {
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(String(q));
  if (!m) throw new Error(`not a CPU quantity: ${q}`);
  return Number(m[1]) / (m[2] ? 1000 : 1);
}

/**
 * An env variable's value in the container as the kubelet sets it: `value`, or for a
 * `resourceFieldRef` of the container's CPU request the request in whole `divisor`s, rounded up.
 */
function envValue(c: IContainer, e: IEnvVar): string {
  if (e.value !== undefined) return e.value;
  const ref = e.valueFrom?.resourceFieldRef;
  if (ref?.resource !== 'requests.cpu') throw new Error(`${e.name}: no value this test can render`);
  return String(Math.ceil(cpus(c.resources?.requests?.cpu as string) / cpus((ref.divisor as string | undefined) ?? '1')));
}

/** Every port a probe of `c` names, by name or number. */
function probePorts(c: IContainer): (string | number)[] {
  const probes = [c.readinessProbe, c.livenessProbe, c.startupProbe].filter((p): p is IProbe => p !== undefined);
  return probes.flatMap((p) => [p.httpGet?.port, p.tcpSocket?.port, p.grpc?.port]).filter((p) => p !== undefined);
}

/**
 * Where the schemas cannot tell: container ports valid and uniquely named, every port a probe
 * names present, and the "restricted" Pod Security Standard met (the container's securityContext
 * over the pod's). Returns the problems, one a line.
 */
function podProblems(spec: IPodSpec): string[] {
  const out: string[] = [];
  const pod = spec.securityContext ?? {};
  if (spec.hostNetwork || spec.hostPID || spec.hostIPC) out.push('uses a host namespace');
  const restrictedVolumes = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
  for (const v of spec.volumes ?? []) {
    const kinds = Object.keys(v).filter((k) => k !== 'name');
    if (!kinds.every((k) => restrictedVolumes.includes(k))) out.push(`volume ${v.name}: ${kinds.join(', ')} is not allowed by "restricted"`);
  }
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    const at = `container ${c.name}`;
    const ports = c.ports ?? [];
    for (const p of ports) {
      if (!Number.isInteger(p.containerPort) || p.containerPort < 1 || p.containerPort > 65535) out.push(`${at}: containerPort ${p.containerPort} is not in 1..65535`);
      if (p.hostPort !== undefined) out.push(`${at}: hostPort ${p.hostPort}`);
      if (p.name !== undefined && !(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(p.name) && /[a-z]/.test(p.name) && p.name.length <= 15))
        out.push(`${at}: port name ${p.name} is not an IANA service name (lower case, at most 15 characters)`);
    }
    const names = ports.map((p) => p.name).filter((n) => n !== undefined);
    if (new Set(names).size !== names.length) out.push(`${at}: port names repeat: ${names.join(', ')}`);
    for (const p of probePorts(c)) {
      if (typeof p === 'string' ? !names.includes(p) : !Number.isInteger(p) || p < 1 || p > 65535) out.push(`${at}: a probe's port ${p} is not one of its ports`);
    }
    const sc = c.securityContext ?? {};
    if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) out.push(`${at}: runAsNonRoot is not true`);
    const user = sc.runAsUser ?? pod.runAsUser;
    if (user !== 1000) out.push(`${at}: runAsUser is ${user}, not the image's user 1000`);
    const seccomp = (sc.seccompProfile ?? pod.seccompProfile)?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') out.push(`${at}: seccompProfile is ${seccomp}, not RuntimeDefault or Localhost`);
    if (sc.allowPrivilegeEscalation !== false) out.push(`${at}: allowPrivilegeEscalation is not false`);
    if (sc.privileged) out.push(`${at}: privileged`);
    if (!sc.capabilities?.drop?.includes('ALL')) out.push(`${at}: capabilities do not drop ALL`);
    for (const cap of sc.capabilities?.add ?? []) if (cap !== 'NET_BIND_SERVICE') out.push(`${at}: adds capability ${cap}`);
    if (sc.readOnlyRootFilesystem !== true) out.push(`${at}: the root filesystem is not read-only`);
  }
  return out;
}

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

  it('selects its pods, names only ports that exist, and reaches the server through the Service', () => {
    const deployment = read('echo-server.deployment.json');
    const service = read('echo-server.service.json');
    const job = read('flood.job.json');
    const serverLabels: Labels = deployment.spec.template.metadata.labels;
    expect(deployment.spec.selector.matchExpressions).toBeUndefined();
    expect(selects(deployment.spec.selector.matchLabels, serverLabels), 'the Deployment selector selects its pods').toBe(true);
    expect(selects(service.spec.selector, serverLabels), 'the Service selector selects the server pods').toBe(true);
    const server: IContainer = deployment.spec.template.spec.containers[0];
    for (const p of service.spec.ports as { name: string; port: number; targetPort?: string | number; protocol?: string }[]) {
      const target = p.targetPort ?? p.port;
      const hit = server.ports!.find((c) => (typeof target === 'string' ? c.name === target : c.containerPort === target));
      expect(hit, `Service port ${p.name}: targetPort ${target} is a port of the server container`).toBeDefined();
      expect(hit!.protocol ?? 'TCP').toBe(p.protocol ?? 'TCP');
    }
    // The flood's target is the Service's echo port, by the Service's name.
    const env = (name: string) => (job.spec.template.spec.containers[0] as IContainer).env!.find((e) => e.name === name)!.value!;
    const [host, port] = env('TARGET').split(':');
    expect(host).toBe(service.metadata.name);
    const echo = (service.spec.ports as { port: number; targetPort: string }[]).find((p) => p.port === Number(port));
    expect(echo?.targetPort).toBe('echo');
  });

  it('meets the restricted Pod Security Standard; container ports and probe ports are sound', () => {
    expect(podProblems(read('echo-server.deployment.json').spec.template.spec)).toEqual([]);
    expect(podProblems(read('flood.job.json').spec.template.spec)).toEqual([]);
    // The checks see what they look for.
    const bad: IPodSpec = {
      securityContext: { runAsUser: 0 },
      containers: [
        {
          name: 'x',
          ports: [{ name: 'echo', containerPort: 70000 }],
          readinessProbe: { httpGet: { path: '/stats', port: 'stats' } },
          securityContext: { capabilities: { add: ['NET_ADMIN'] } },
        },
      ],
    };
    expect(podProblems(bad)).toEqual([
      'container x: containerPort 70000 is not in 1..65535',
      "container x: a probe's port stats is not one of its ports",
      'container x: runAsNonRoot is not true',
      "container x: runAsUser is 0, not the image's user 1000",
      'container x: seccompProfile is undefined, not RuntimeDefault or Localhost',
      'container x: allowPrivilegeEscalation is not false',
      'container x: capabilities do not drop ALL',
      'container x: adds capability NET_ADMIN',
      'container x: the root filesystem is not read-only',
    ]);
  });

  it('lets every shard run to its end when one fails, and spreads the shards over the nodes', () => {
    const job = read('flood.job.json');
    const pod: IPodSpec = job.spec.template.spec;
    // A Job's pods restart Never or OnFailure; the shards need Never: OnFailure would run a
    // failed shard again in the same pod, late, over the log of its first run.
    expect(['Never', 'OnFailure']).toContain(pod.restartPolicy);
    expect(pod.restartPolicy).toBe('Never');
    // A shard whose verdict is FAIL exits 1: with a per-index limit that fails its index only,
    // and the Job is marked Failed once every index has ended. (A Job-wide backoffLimit would
    // fail the Job at the first failure and kill the shards still running.)
    expect(job.spec.completionMode).toBe('Indexed');
    expect(job.spec.backoffLimitPerIndex).toBe(0);
    expect(job.spec.backoffLimit).toBeUndefined();
    expect(job.spec.maxFailedIndexes).toBeUndefined();
    expect(job.spec.podFailurePolicy).toBeUndefined();
    // The pods are deleted with their logs: no TTL may remove them before they are read.
    expect(job.spec.ttlSecondsAfterFinished).toBeUndefined();
    // Spread over the nodes and off the server's node where possible, but never unschedulable.
    const labels: Labels = job.spec.template.metadata.labels;
    const spread = pod.topologySpreadConstraints ?? [];
    expect(spread.length).toBeGreaterThan(0);
    for (const t of spread) {
      expect(t.topologyKey).toBe('kubernetes.io/hostname');
      expect(t.whenUnsatisfiable).toBe('ScheduleAnyway');
      expect(selects(t.labelSelector?.matchLabels, labels), 'the spread counts the flood pods').toBe(true);
    }
    const anti = pod.affinity?.podAntiAffinity;
    expect(anti?.requiredDuringSchedulingIgnoredDuringExecution).toBeUndefined();
    const serverLabels: Labels = read('echo-server.deployment.json').spec.template.metadata.labels;
    const away = anti?.preferredDuringSchedulingIgnoredDuringExecution?.find((t) => selects(t.podAffinityTerm.labelSelector?.matchLabels, serverLabels));
    expect(away?.podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
  });

  it('runs its pods on x86-64 nodes only', () => {
    // The native backends read the kernel's structures at x86-64's offsets; the image is linux/amd64.
    for (const file of ['echo-server.deployment.json', 'flood.job.json'])
      expect((read(file).spec.template.spec as IPodSpec).nodeSelector, file).toEqual({ 'kubernetes.io/arch': 'amd64' });
  });

  it("keeps the server ready under load: a TCP connect to its stats port, given time; no liveness probe", () => {
    const server: IContainer = read('echo-server.deployment.json').spec.template.spec.containers[0];
    const probe = server.readinessProbe!;
    // An HTTP GET of /stats is answered by the server's event loop, which a heavy load can keep
    // past the probe's timeout: the kernel completes a connect from the listen queue. On the
    // stats port, not the echo port, where each probe would be a session in the counters.
    expect(probe.httpGet).toBeUndefined();
    expect(probe.exec).toBeUndefined();
    expect(probe.tcpSocket?.port).toBe('stats');
    expect(server.ports!.find((p) => p.name === 'stats')?.containerPort).not.toBe(server.ports!.find((p) => p.name === 'echo')?.containerPort);
    // Not ready (and out of the Service, which ends a run) only after 3 failed connects of 5 s each.
    expect(probe.timeoutSeconds ?? 1).toBeGreaterThanOrEqual(5);
    expect(probe.failureThreshold ?? 3).toBeGreaterThanOrEqual(3);
    // A failed liveness probe would restart the server mid-run, its counters with it.
    expect(server.livenessProbe).toBeUndefined();
  });

  it('sizes the flood\'s threads by its CPU request; limits memory to the request and CPU not at all', () => {
    const flood: IContainer = read('flood.job.json').spec.template.spec.containers[0];
    // --workers is the pod's CPU request, through the downward API: without it the flood counts
    // the node's CPUs, which a request does not limit.
    const workers = flood.env!.find((e) => e.name === 'WORKERS')!;
    expect(workers.value).toBeUndefined();
    expect(workers.valueFrom?.resourceFieldRef).toMatchObject({ resource: 'requests.cpu', divisor: '1' });
    expect(flood.args![0]).toContain('--workers "$WORKERS"');
    expect(Number(envValue(flood, workers))).toBe(cpus(flood.resources!.requests!.cpu as string));
    for (const file of ['echo-server.deployment.json', 'flood.job.json']) {
      const c: IContainer = read(file).spec.template.spec.containers[0];
      // A CPU limit throttles the threads for the rest of each period once spent: stalls that
      // would be measured as latency.
      expect(c.resources?.limits?.cpu, file).toBeUndefined();
      expect(c.resources?.requests?.memory, file).toBeDefined();
      expect(c.resources?.limits?.memory, file).toBe(c.resources?.requests?.memory);
    }
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
      for (const e of container.env) env[e.name] = envValue(container, e);
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
      // One client thread for the one CPU the pod requests (the default would count the node's).
      expect(argv.slice(argv.indexOf('--workers'), argv.indexOf('--workers') + 2)).toEqual(['--workers', '1']);
      expect(o.workers).toBe(cpus(container.resources.requests.cpu));
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
    // x86-64 only: every stage is linux/amd64, whatever machine builds it.
    for (const f of steps.filter((s) => s.op === 'FROM')) expect(f.args.split(/\s+/)[0], f.args).toBe('--platform=linux/amd64');
    for (const s of steps) expect(INSTRUCTIONS.has(s.op), s.op).toBe(true);
    expect(steps.some((s) => s.op === 'ENTRYPOINT' || s.op === 'CMD')).toBe(true);
    const entry = steps.filter((s) => s.op === 'ENTRYPOINT' || s.op === 'CMD').map((s) => JSON.parse(s.args) as string[]);
    expect(entry.every((e) => Array.isArray(e))).toBe(true);
    for (const s of steps.filter((x) => x.op === 'COPY' && !x.args.startsWith('--from'))) {
      const parts = s.args.split(/\s+/);
      for (const src of parts.slice(0, -1)) expect(existsSync(path.join(REPO, src)), src).toBe(true);
    }
    // The image runs as a numeric, non-root user (the kubelet verifies runAsNonRoot only for
    // one), the user the manifests' runAsUser names.
    const user = steps.filter((x) => x.op === 'USER').at(-1)?.args.trim();
    expect(user).toMatch(/^\d+(:\d+)?$/);
    const uid = Number(user!.split(':')[0]);
    expect(uid).not.toBe(0);
    for (const file of ['echo-server.deployment.json', 'flood.job.json']) expect(read(file).spec.template.spec.securityContext.runAsUser, file).toBe(uid);
  });
});
