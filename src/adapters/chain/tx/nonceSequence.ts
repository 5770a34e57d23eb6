/**
 * One nonce sequence per signer: the first nonce comes from the chain (pending count, so a
 * restart picks up where the account is), later ones are counted locally so several
 * transactions can be in flight; any broadcast failure makes the next reservation re-read the
 * chain. Reservations are serialized: callers hold the sequence until they have broadcast.
 */
import type { Provider } from 'ethers';

/** A held nonce: call `commit()` once broadcast succeeded, `abort()` otherwise. Exactly one of them. */
export interface NonceLease {
  nonce: number;
  commit(): void;
  abort(): void;
}

export class NonceSequence {
  private next: number | null = null;
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly provider: Provider, readonly address: string) {}

  /** Waits for the sequence, then returns the next nonce leased to the caller until commit/abort. */
  async lease(): Promise<NonceLease> {
    let release!: () => void;
    const prev = this.tail;
    this.tail = new Promise<void>((r) => { release = r; });
    await prev;
    try {
      this.next ??= await this.provider.getTransactionCount(this.address, 'pending');
    } catch (e) {
      release();
      throw e;
    }
    const nonce = this.next;
    let done = false;
    return {
      nonce,
      commit: () => {
        if (done) return;
        done = true;
        this.next = nonce + 1;
        release();
      },
      abort: () => {
        if (done) return;
        done = true;
        this.next = null;
        release();
      },
    };
  }

  /** Forgets the local count; the next lease re-reads the chain. */
  resync(): void {
    this.next = null;
  }
}
