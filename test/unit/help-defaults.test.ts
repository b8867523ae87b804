// Every command's help shows defaults as they would be typed: (default: 7777), not the quoted
// strings commander shows for string defaults ((default: "7777")).
import { expect, it } from 'vitest';
import { createProgram } from '../../src/cli.js';

it.each(['server', 'flood', 'merge', 'report'])('%s --help shows no quoted default', (name) => {
  const cmd = createProgram().commands.find((c) => c.name() === name)!;
  const help = cmd.helpInformation().replace(/\s+/g, ' ');
  expect(help).not.toMatch(/default: "/);
  if (name === 'server') {
    expect(help).toContain('(default: 7777)');
    expect(help).toContain('(default: 10k)');
    expect(help).toContain('default: refcount)');
  }
});
