/**
 * `iocp-bench merge A.json B.json ...`: the --json results of a sharded flood's shards, merged into
 * one result (mergeResults.ts) with one verdict; with --stats, the leak check, run once after every
 * shard has finished. The flags are read here; the work loads only when the command runs.
 */
import type { Command } from 'commander';
import { errorJsonLine } from '../../errors.js';
import type { MergeFlags } from './mergeAction.js';

/** Registers `merge <files...>`. */
export function addMergeCommand(program: Command): void {
  program
    .command('merge')
    .description(
      'Merge the --json results of a sharded flood (flood --shard i/N, one file per shard) into one result: counts added, ' +
        'latency histograms merged exactly, interval samples lined up by wall time. FAIL if a shard failed, is missing or ' +
        'given twice, or the shards ran different seeds or options.',
    )
    .argument('<files...>', "the shards' result files (flood --json output, one JSON object each; - reads stdin)")
    .option('--json', 'print one JSON object (the merged result) instead of the report')
    .option('--stats <url>', "the server's /stats URL: run the leak check once, now that every shard has finished")
    .option('--report <file.html>', 'also write the HTML report of the merged run (- : to stdout, instead of the text report)')
    .option('--assert <checks>', 'checks on the merged result that fail it, like leaks==0,dataErrors==0,p99<20ms')
    .action(async (files: string[], flags: MergeFlags) => {
      try {
        const { runMergeCommand } = await import('./mergeAction.js');
        await runMergeCommand(files, flags);
      } catch (err) {
        // As flood --json: one ERROR object on stdout beside the error's line on stderr.
        if (flags.json) process.stdout.write(errorJsonLine(err));
        throw err;
      }
    });
}
