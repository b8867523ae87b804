// merge --json keeps flood --json's promise: on an error (an unreadable shard, a file that is no
// result, a bad flag) one ERROR object on stdout beside the error's one line on stderr, exit 2.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'iocp-bench-merge-json-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it.each([
  ['a missing file', () => [path.join(dir, 'nope.json')], /^\S+nope\.json: cannot read it \(no such file\)$/],
  ['a file with no result', () => [(writeFileSync(path.join(dir, 'text.log'), 'hello\n'), path.join(dir, 'text.log'))], /^merge: \S+text\.log holds no JSON result/],
  ['an unknown option', () => ['--bogus', 'a.json'], /^unknown option '--bogus'$/],
] as const)('merge --json with %s: one ERROR object, exit 2', async (_name, args, message) => {
  const r = await runCliProcess(['merge', '--json', ...args()]);
  expect(r.code).toBe(2);
  const lines = r.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  const j = JSON.parse(lines[0]!);
  expect(j).toEqual({ verdict: 'ERROR', reasons: [expect.stringMatching(message)], error: { code: 'E_USAGE' } });
  // A parser error's line adds the pointer to --help that the JSON leaves out.
  const hint = /^unknown option/.test(j.reasons[0]) ? ' (see --help)' : '';
  expect(r.stderr.split('\n')[0]).toBe(`iocp-bench: ${j.reasons[0]}${hint}`);
});
