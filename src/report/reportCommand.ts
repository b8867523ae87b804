/**
 * `iocp-bench report RESULT.json [-o FILE.html]`: renders a result saved with `flood --json` as
 * the self-contained HTML report, to the file or to stdout. The renderer loads only when the
 * command runs.
 */
import type { Command } from 'commander';

export function addReportCommand(program: Command): void {
  program
    .command('report')
    .description(
      'Render a flood result saved with `iocp-bench flood --json > RESULT.json` as one self-contained HTML file: the verdict, ' +
        "the parameters, throughput, connections and latency over time, the latency spectrum, faults, errors and the server's counters.",
    )
    .argument('<result>', 'the JSON result of a flood (what `flood --json` printed; - reads stdin)')
    .option('-o, --output <file>', 'the HTML file to write (- or left out: stdout, unless that is a terminal)')
    .action(async (file: string, flags: { output?: string }) => {
      const { runReportCommand } = await import('./reportAction.js');
      runReportCommand(file, flags.output, process.stdout.isTTY === true);
    });
}
