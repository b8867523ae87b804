/**
 * The flood's compiler setting. A flood's client threads spend their first few hundred
 * milliseconds compiling their hot code with TurboFan on the same cores that carry the traffic;
 * V8's default inlining budget (920 bytes of inlined bytecode per function) makes those
 * compilations large, and several of them deoptimise and compile again while the run is
 * measured. A budget of 300 keeps each one small. In paired runs against the same server
 * (`npm run bench:flood-jit`; README, "Performance") on Node 20 the flood's whole-run rate was
 * 1.07x the default's and its CPU per verified message 0.92x against the C reference server, and
 * 0.99-1.03x and 0.99x against our epoll server (Node 22 and 24 gained too).
 *
 * V8's flags belong to the process, so only a caller that owns the process sets this: the
 * command's bin says so (ownProcess()); the library API, runCli() included, leaves the process's
 * flags alone unless asked. It is set before any client thread exists. A budget given on node's
 * own command line (`node --max-inlined-bytecode-size-cumulative=N ...`) is kept: that is also how
 * to run the flood with V8's default. Only V8 majors on which the flag was checked get it (an
 * unknown flag would print an error line): 11 to 13, those of Node 20, 22 and 24 (21 and 23 share
 * them).
 */
import { setFlagsFromString } from 'node:v8';

export const INLINE_BUDGET_FLAG = '--max-inlined-bytecode-size-cumulative';
export const FLOOD_INLINE_BUDGET = 300;
/** V8 major versions on which the flag was checked to exist and to help. */
export const CHECKED_V8 = { min: 11, max: 13 };

let owned = false;

/** The caller owns this process (the command's bin): the flood may set the process's compiler flags. */
export function ownProcess(): void {
  owned = true;
}

/** The V8 flags the flood sets on this process: none where V8 is unchecked or node's command line chose. */
export function floodCompilerFlags(v8Version: string, execArgv: readonly string[]): string[] {
  const major = Number(v8Version.split('.')[0]);
  if (!(major >= CHECKED_V8.min && major <= CHECKED_V8.max)) return [];
  // node passes V8 flags on with one dash or two, and with dashes or underscores in the name.
  const name = (a: string) => a.replace(/^-{1,2}/, '').split('=')[0]!.replace(/_/g, '-');
  const wanted = name(INLINE_BUDGET_FLAG);
  if (execArgv.some((a) => a.startsWith('-') && name(a) === wanted)) return [];
  return [`${INLINE_BUDGET_FLAG}=${FLOOD_INLINE_BUDGET}`];
}

/** Sets the flood's compiler flags when the process is owned (ownProcess); returns those set. Call before the client threads start. */
export function tuneCompilerForFlood(): string[] {
  if (!owned) return [];
  const flags = floodCompilerFlags(process.versions.v8, process.execArgv);
  for (const f of flags) setFlagsFromString(f);
  return flags;
}
