// "No data fault" says what it covers: every echo verified; or only what came back, when messages
// got no echo because their connections failed (a server that died, a refused target); or nothing
// at all, when nothing came back. Both reports, the text and the HTML, say the same.
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/client/cli/report.js';
import { noFaultDetail, type FloodResult } from '../../src/client/verdict/result.js';
import { faultsSection } from '../../src/report/sections.js';
import { syntheticResult } from '../helpers/reportFixture.js';

function withMessages(sent: number, verified: number): FloodResult {
  const r = syntheticResult({ samples: 3 }) as unknown as FloodResult;
  return { ...r, messages: { ...r.messages, sent, verified } };
}

describe('no data fault, in words', () => {
  it('every echo verified, only what came back, or nothing to verify', () => {
    expect(noFaultDetail({ sent: 14_800, verified: 14_800 })).toBe('every echoed byte verified');
    expect(noFaultDetail({ sent: 4563, verified: 4193 })).toBe(
      'every byte that came back verified, but 370 of 4563 messages sent got no echo (their connections ended first)',
    );
    expect(noFaultDetail({ sent: 0, verified: 0 })).toBe('nothing came back to verify');
    expect(noFaultDetail({ sent: 12, verified: 0 })).toBe('nothing came back to verify');
  });

  it('the text report and the HTML report say it', () => {
    const text = (r: FloodResult) => stripVTControlCharacters(renderReport(r, { color: false })).replace(/\n {2}/g, ' ');
    expect(text(withMessages(4563, 4193))).toContain(
      'Faults none: every byte that came back verified, but 370 of 4563 messages sent got no echo (their connections ended first)',
    );
    expect(text(withMessages(0, 0))).toContain('Faults none: nothing came back to verify');
    expect(text(withMessages(500, 500))).toContain('Faults none: every echoed byte verified');
    expect(faultsSection(withMessages(4563, 4193))).toContain('No data fault: every byte that came back verified, but 370 of 4563 messages sent');
    expect(faultsSection(withMessages(0, 0))).toContain('No data fault: nothing came back to verify.');
  });
});
