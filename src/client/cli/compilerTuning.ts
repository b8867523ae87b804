/**
 * The flood's compiler setting. A flood's client threads spend their first few hundred
 * milliseconds compiling their hot code with TurboFan on the same cores that carry the traffic;
 * V8's default inlining budget (920 bytes of inlined bytecode per function) makes those
 * compilations large, and several of them deoptimise and compile again while the run is
 * measured. A budget of 300 keeps each one small. In paired runs against the same server
 * (`npm run bench:flood-jit`; README, "Performance") the flood's whole-run rate was 1.02-1.04x
 * the default's and its CPU per verified message 0.95-0.99x; its steady rate moved by 0-2%.
 *
 * V8's flags belong to the process, so this is set by the command (which owns the process),
 * never by the library API, and before any client thread exists. A budget given on node's own
 * command line (`node --max-inlined-bytecode-size-cumulative=N ...`) is left as it is: that is
 * also how to run the flood with V8's default. Only V8 versions the flag was checked on get it
 * (an unknown flag would print an error line): Node 20, 22 and 24 (V8 11 to 13).
 */
import { setFlagsFromString } from 'node:v8';

export const INLINE_BUDGET_FLAG = '--max-inlined-bytecode-size-cumulative';
export const FLOOD_INLINE_BUDGET = 300;
/** V8 major versions on which the flag was checked to exist and to help. */
const CHECKED_V8 = { min: 11, max: 13 };

/** The V8 flags the flood sets on this process: none where V8 is unchecked or node's command line chose. */
export function floodCompilerFlags(v8Version: string, execArgv: readonly string[]): string[] {
  const major = Number(v8Version.split('.')[0]);
  if (!(major >= CHECKED_V8.min && major <= CHECKED_V8.max)) return [];
  // node accepts V8 flags with dashes or underscores.
  const spelled = (a: string) => a.replace(/_/g, '-');
  if (execArgv.some((a) => spelled(a).startsWith(INLINE_BUDGET_FLAG))) return [];
  return [`${INLINE_BUDGET_FLAG}=${FLOOD_INLINE_BUDGET}`];
}

/** Sets the flood's compiler flags on this process; returns those set. Call before the client threads start. */
export function tuneCompilerForFlood(): string[] {
  const flags = floodCompilerFlags(process.versions.v8, process.execArgv);
  for (const f of flags) setFlagsFromString(f);
  return flags;
}
