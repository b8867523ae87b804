// A session whose peer sent its FIN and whose bytes are all echoed gets exactly one FIN of ours and
// is then closed without RST, whatever the sessions in the neighbouring slots did before it.
import { describe, expect, it } from 'vitest';
import { makeRig } from '../../helpers/fakePort.js';

/** FIN from the peer of each slot in turn (each after an echo that completes inline). */
function finsInOrder(order: Array<0 | 1>): { fins: number[]; closes: Array<[number, boolean]> } {
  const r = makeRig({ capacity: 2 });
  const sessions = [r.accept(), r.accept()];
  expect(sessions.map((s) => s.slot)).toEqual([0, 1]);
  for (const k of order) {
    const s = sessions[k]!;
    r.port.answers.push((c) => c.len); // the echo's send completes inline
    r.complete('recv', s.slot, s.gen, 5);
    r.complete('recv', s.slot, s.gen, 0);
  }
  return {
    fins: r.port.calls.flatMap((c) => (c.kind === 'shutdownSend' ? [c.slot] : [])),
    closes: r.port.calls.flatMap((c) => (c.kind === 'closeHandle' ? [[c.slot, c.rst] as [number, boolean]] : [])),
  };
}

describe('our FIN after the echo', () => {
  it('slot 1 finishing first does not take slot 0’s FIN', () => {
    expect(finsInOrder([1, 0])).toEqual({ fins: [1, 0], closes: [[1, false], [0, false]] });
  });

  it('slot 0 finished and freed does not take slot 1’s FIN', () => {
    expect(finsInOrder([0, 1])).toEqual({ fins: [0, 1], closes: [[0, false], [1, false]] });
  });
});
