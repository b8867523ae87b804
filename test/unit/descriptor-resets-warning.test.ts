// Sessions the server reset because a send that had to wait found no descriptor below its
// --fd-reserve (extra.sendDescriptorResets) are network errors to the flood, as rejected
// connections are: the flood warns of those during its run (before and after readings), merge of
// those since the server started, saying how long before the first shard that was.
import { describe, expect, it } from 'vitest';
import { mergedDescriptorResets } from '../../src/client/merge/mergeAction.js';
import { descriptorResets } from '../../src/client/verdict/result.js';
import type { LeakVerdict } from '../../src/client/verdict/leakCheck.js';
import type { ServerStats } from '../../src/server/types.js';

const stats = (resets: number | undefined, uptimeMs = 60_000) => ({ uptimeMs, extra: resets === undefined ? {} : { sendDescriptorResets: resets } }) as unknown as ServerStats;
const verdict = (status: LeakVerdict['status'], before: ServerStats | null, after: ServerStats | null) =>
  ({ status, reasons: [], leaks: null, settleMs: 0, before, after }) as LeakVerdict;

describe('the flood: resets during the run', () => {
  it('counted between the readings', () => {
    expect(descriptorResets(verdict('clean', stats(2), stats(7)))).toBe(
      'the server reset 5 session(s) whose echo had to wait on a slow reader with no descriptor left to wait on (its descriptor limit): they count among the network errors',
    );
  });

  it('none during the run, none on a server without the counter, none from stats not judged the target\'s', () => {
    expect(descriptorResets(verdict('clean', stats(7), stats(7)))).toBeNull();
    expect(descriptorResets(verdict('clean', stats(undefined), stats(undefined)))).toBeNull();
    expect(descriptorResets(verdict('error', stats(0), stats(7)))).toBeNull();
  });
});

describe('merge: resets since the server started', () => {
  it('with how long before the first shard the server started', () => {
    expect(mergedDescriptorResets(stats(4, 3_600_000), 3_700_000, 3_000_000)).toBe(
      'the server has reset 4 session(s) whose echo had to wait on a slow reader with no descriptor left to wait on (its descriptor limit) since it started, ' +
        '48 min 20 s before the first shard began (resets of anything it served before are among them): they count among the network errors',
    );
  });

  it('none: no warning', () => {
    expect(mergedDescriptorResets(stats(0), 100_000, 50_000)).toBeNull();
    expect(mergedDescriptorResets(stats(undefined), 100_000, 50_000)).toBeNull();
  });
});
