/**
 * Where each session's echo ring sits: one native arena (made by the host) of `size` bytes per
 * slot, so a (slot, offset) pair is the only address a receive, a send or a copy ever needs.
 */
export class EchoRings {
  constructor(
    readonly base: number,
    readonly size: number,
  ) {}

  address(slot: number, offset: number): number {
    return this.base + slot * this.size + offset;
  }
}
