/**
 * What one runCli() call (cli.ts) shares with the action of the command it runs: whether its
 * caller owns the process, and the exit code the action settles on (0 unless it says otherwise).
 * The action finds it among its flags, as `cliRun`: each call parses with a program of its own,
 * so calls that run at once keep their codes apart. A module of its own, so that the actions,
 * which cli.ts loads, can name it without importing cli.ts.
 */
export interface CliRun {
  readonly ownsProcess: boolean;
  exitCode: number;
}

/** An action's flags: `cliRun` is there when runCli() ran it. */
export interface WithCliRun {
  cliRun?: CliRun;
}

/**
 * An action settled on `code`: it goes to runCli() (flags.cliRun); without one, the caller drives
 * the command line itself and owns the process, whose exitCode is set.
 */
export function settleExitCode(flags: WithCliRun, code: number): void {
  if (flags.cliRun) flags.cliRun.exitCode = code;
  else process.exitCode = code;
}
