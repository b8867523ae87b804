/** Parses `iocp-bench flood` argv with the real command definition, capturing the options instead of running. */
import { Command } from 'commander';
import { addFloodCommand } from '../../src/client/cli/floodCommand.js';
import { floodOptionsFromFlags, type FloodFlags } from '../../src/client/cli/floodFlags.js';
import type { FloodOptions } from '../../src/client/options.js';

export function parseFloodArgv(argv: string[]): FloodOptions {
  const program = new Command('iocp-bench').exitOverride();
  addFloodCommand(program);
  const flood = program.commands.find((c) => c.name() === 'flood')!;
  let captured: FloodOptions | null = null;
  flood.exitOverride().action((target: string | undefined, flags: FloodFlags) => {
    captured = floodOptionsFromFlags(target, flags);
  });
  program.parse(['flood', ...argv], { from: 'user' });
  return captured!;
}
