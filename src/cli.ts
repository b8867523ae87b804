/**
 * The command line: flags -> library API -> rendering. No logic lives here.
 * createProgram() is exported so tests can parse argv without running anything.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { errorEventLine, errorJsonLine, exitCodeFor, IocpBenchError, UsageError } from './errors.js';
import { addFloodCommand } from './client/cli/floodCommand.js';
import { ownProcess } from './client/cli/compilerTuning.js';
import { addMergeCommand } from './client/merge/mergeCommand.js';
import { addServerCommand } from './server/serverCommand.js';
import { addReportCommand } from './report/reportCommand.js';
import type { CliRun } from './cliRun.js';

export function createProgram(): Command {
  const program = new Command('iocp-bench')
    .description(
      'A completion-port TCP echo server (IOCP on Windows, epoll on Linux) and a flood that proves it: ' +
        "thousands of verifying, abruptly disconnecting clients, and a leak verdict from the server's counters.",
    )
    .version(VERSION, '-V, --version')
    // Commander's parse errors in the form of the command's own, one line: `iocp-bench: <error>`,
    // and where commander has no better guess (Did you mean ...?), a pointer to the help.
    .configureOutput({
      outputError: (text, write) => {
        const message = commanderMessage(text);
        write(`iocp-bench: ${/Did you mean/.test(message) ? message : `${message.replace(/\.$/, '')} (see --help)`}\n`);
      },
    });
  addServerCommand(program);
  addFloodCommand(program);
  addMergeCommand(program);
  addReportCommand(program);
  // Commander shows a string default quoted ((default: "7777")); the help shows it as it is typed.
  for (const cmd of program.commands)
    for (const opt of cmd.options) if (typeof opt.defaultValue === 'string' && opt.defaultValueDescription === undefined) opt.defaultValueDescription = opt.defaultValue;
  return program;
}

/** The package's version, from its package.json (one level above dist/ and src/). */
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** runCli()'s options. */
export interface RunCliOptions {
  /**
   * The caller owns this process (the command's bin): the flood may then set process-wide V8
   * flags (src/client/cli/compilerTuning.ts), process.exitCode is set to the code, and the
   * commands keep listening for signals to the end (a late one changes nothing, or after a flood's
   * result ends the process with its code); the bin then ends the process as soon as its output is
   * written, also where a stop given up left workers running. Off by default, so that a program
   * that embeds the CLI keeps its flags, its exit code and its process.
   */
  ownsProcess?: boolean;
}

/**
 * Runs the CLI on `argv` (the arguments after the command's name) and resolves with its exit
 * code; it never calls process.exit but for a signal after a flood's result with `ownsProcess`
 * set (see RunCliOptions). From code,
 * the process is left as it was found: process.exitCode untouched, the server's signal listeners
 * removed when it ends. Once per process, stdout and stderr get an 'error' listener that drops what
 * cannot be written (a reader that went away).
 */
export async function runCli(argv: string[], options: RunCliOptions = {}): Promise<number> {
  const ownsProcess = options.ownsProcess === true;
  if (ownsProcess) ownProcess();
  guardOutput();
  const code = await runProgram(argv, ownsProcess);
  if (ownsProcess) process.exitCode = code;
  return code;
}

let outputGuarded = false;

/**
 * A reader that went away (`| head`, a closed pipe) must not crash a server or a flood with a
 * stack trace: what cannot be written is dropped, the run goes on and exits by its outcome. One
 * listener per stream for the whole process, however many calls.
 */
function guardOutput(): void {
  if (outputGuarded) return;
  outputGuarded = true;
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
}

async function runProgram(argv: string[], ownsProcess: boolean): Promise<number> {
  const run: CliRun = { ownsProcess, exitCode: 0 };
  const program = createProgram();
  program.exitOverride();
  for (const cmd of program.commands) cmd.exitOverride();
  program.hook('preAction', (_program, command) => {
    command.setOptionValue('cliRun', run);
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return run.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // No command at all: commander shows the help (on stderr) as an error, and a script that
      // lost its subcommand must not pass for one that ran.
      if (err.code === 'commander.help' && err.exitCode !== 0) {
        // `help <name>` for a command there is not: the help, then what was wrong with the ask.
        if (argv[0] === 'help' && argv[1] !== undefined) process.stderr.write(`iocp-bench: unknown command '${argv[1]}' (see --help)\n`);
        return 2;
      }
      // Help and version asked for are "errors" to commander; anything else is a usage error.
      const asked = ['commander.helpDisplayed', 'commander.help', 'commander.version'];
      if (asked.includes(err.code)) return 0;
      // Commander has written its message; --json promises it on stdout too (flood's and merge's one object, server's last event).
      if (argv.includes('--json')) {
        const usage = new UsageError(commanderMessage(err.message));
        if (argv[0] === 'flood' || argv[0] === 'merge') process.stdout.write(errorJsonLine(usage));
        // With --out - the samples have stdout, and the log goes to stderr.
        else if (argv[0] === 'server') (outToStdout(argv) ? process.stderr : process.stdout).write(errorEventLine(usage));
      }
      return 2;
    }
    if (err instanceof IocpBenchError) {
      process.stderr.write(`iocp-bench: ${err.message}\n`);
      return exitCodeFor(err);
    }
    process.stderr.write(`iocp-bench: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

/** `--out -` (or `--out=-`) among the arguments. */
function outToStdout(argv: string[]): boolean {
  return argv.some((a, i) => a === '--out=-' || (a === '--out' && argv[i + 1] === '-'));
}

/** Commander's message as one line: `error: unknown option '--x'` and its hint -> `unknown option '--x' (Did you mean --y?)`. */
function commanderMessage(message: string): string {
  return message
    .replace(/^error: /, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
}

export { Option };
