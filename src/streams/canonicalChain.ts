/** A block as far as fork detection needs it. */
export interface BlockLink {
  number: number;
  hash: string;
  parentHash: string;
}

/**
 * The hashes of the most recent blocks we scanned, kept for a window of `window` blocks, so a
 * reorg can be detected (a new block whose parent is not our block) and its fork point found
 * (the highest block whose hash still matches).
 */
export class CanonicalChain {
  private readonly hashes = new Map<number, string>();
  private top = -1;

  constructor(readonly window: number) {
    if (!Number.isInteger(window) || window < 1) throw new RangeError(`reorg window must be a positive integer, got ${window}`);
  }

  /** The highest recorded block number, -1 when empty. */
  get head(): number {
    return this.top;
  }

  /** The lowest block number still remembered (fork points below it cannot be found). */
  get oldest(): number {
    return this.top < 0 ? -1 : Math.min(...this.hashes.keys());
  }

  hashAt(n: number): string | undefined {
    return this.hashes.get(n);
  }

  /** Whether `b` extends our head (its parent is our head block), or we have no head yet. */
  extendsHead(b: BlockLink): boolean {
    return this.top < 0 || (b.number === this.top + 1 && this.hashes.get(this.top) === b.parentHash.toLowerCase());
  }

  /** Records `n` as the new head with `hash`, forgetting blocks that fall out of the window. */
  record(n: number, hash: string): void {
    if (this.top >= 0 && n !== this.top + 1) throw new RangeError(`chain: block ${n} recorded after ${this.top}`);
    this.hashes.set(n, hash.toLowerCase());
    this.top = n;
    this.hashes.delete(n - this.window);
  }

  /** Starts over from a single known block (a checkpoint, or the end of a deep backfill). */
  reset(n: number, hash: string): void {
    this.hashes.clear();
    this.hashes.set(n, hash.toLowerCase());
    this.top = n;
  }

  /** Forgets every block above `n` (after a reorg whose fork point is `n`). */
  rewindTo(n: number): void {
    for (let i = this.top; i > n; i--) this.hashes.delete(i);
    this.top = Math.min(this.top, n);
  }

  /** Block numbers we still hold, highest first: the candidates for a fork point. */
  known(): number[] {
    return [...this.hashes.keys()].sort((a, b) => b - a);
  }
}
