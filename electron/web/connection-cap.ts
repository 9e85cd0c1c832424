// A cap on the Socket.IO connections one remote address holds at once: a wall PC
// needs a few, a script opening hundreds (each with its push subscription) is refused.

export class ConnectionCap {
  private readonly open = new Map<string, number>();

  constructor(readonly perAddress: number) {
    if (!Number.isInteger(perAddress) || perAddress < 1) throw new Error('the connection cap must be a positive integer');
  }

  /** True while the address holds fewer connections than the cap. */
  admits(address: string): boolean {
    return (this.open.get(address) ?? 0) < this.perAddress;
  }

  opened(address: string): void {
    this.open.set(address, (this.open.get(address) ?? 0) + 1);
  }

  closed(address: string): void {
    const n = (this.open.get(address) ?? 0) - 1;
    if (n > 0) this.open.set(address, n);
    else this.open.delete(address);
  }

  count(address: string): number {
    return this.open.get(address) ?? 0;
  }
}
