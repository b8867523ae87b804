// A worker that dies of an error gives up its run token, or its place in the queue for one: the
// others go on taking turns, and no token is lost. With a single token (the default on two CPUs)
// a lost token would stop the whole server. A dead ticket behind a live one lets one worker more
// than N run until the dead ticket's turn has passed, and then N again.
import { describe, expect, it } from 'vitest';
import { RunTokens, RunTurns } from '../../src/server/epoll/runTokens.js';

describe('a worker that abandons its run turns', () => {
  it('holding the token: the next worker gets it', () => {
    const tokens = RunTokens.create(1);
    const [dying, next] = [new RunTurns(tokens), new RunTurns(tokens)];
    expect(dying.begin()).toBe(true);
    expect(next.begin()).toBe(false); // parked (50 ms at most): the token is held
    dying.abandon();
    expect(next.begin()).toBe(true);
  });

  it('waiting in the queue: the token its ticket is granted later does not go missing', () => {
    const tokens = RunTokens.create(1);
    const [holder, dying, later] = [new RunTurns(tokens), new RunTurns(tokens), new RunTurns(tokens)];
    expect(holder.begin()).toBe(true);
    expect(dying.begin()).toBe(false); // a ticket, after the holder's
    dying.abandon();
    expect(later.begin()).toBe(false); // still one runner: the holder
    holder.leave();
    expect(later.begin()).toBe(true);
  });

  it('waiting behind a live ticket: one more runs until the dead ticket\'s turn, then N again', () => {
    const tokens = RunTokens.create(1);
    const [holder, ahead, dying] = [new RunTurns(tokens), new RunTurns(tokens), new RunTurns(tokens)];
    expect(holder.begin()).toBe(true);
    expect(ahead.begin()).toBe(false);
    expect(dying.begin()).toBe(false);
    dying.abandon();
    expect(ahead.begin()).toBe(true); // the token given back for the dead ticket: two run
    holder.leave(); // to the dead ticket: it takes the extra token out of the ring
    const next = new RunTurns(tokens);
    expect(next.begin()).toBe(false); // one runs (ahead)
    ahead.leave();
    expect(next.begin()).toBe(true);
    expect(new RunTurns(tokens).begin()).toBe(false);
  });

  it('neither holding nor queued: nothing changes', () => {
    const tokens = RunTokens.create(1);
    const [idle, holder, waiting] = [new RunTurns(tokens), new RunTurns(tokens), new RunTurns(tokens)];
    idle.abandon();
    expect(holder.begin()).toBe(true);
    expect(waiting.begin()).toBe(false); // still one token only
    holder.abandon();
    holder.abandon(); // twice: given back once
    expect(waiting.begin()).toBe(true);
    expect(new RunTurns(tokens).begin()).toBe(false);
  });
});
