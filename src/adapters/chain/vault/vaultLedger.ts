/**
 * The vault's books as its events tell them: per depositor what they put in and took out (and
 * since when), the vault's totals (deposits, withdrawals, management and performance fees, LP
 * fees the hook reported), recent history and a share-price series. Each event is applied once
 * by its chain key (blockHash:logIndex) and undone by its retraction; the books and the applied
 * keys are one document in the Store, so a restart that re-delivers events changes nothing.
 *
 * Exactly once across a crash: apply() changes the books in memory and queues their write;
 * ledgerCheckpoints() makes the follower's checkpoint wait for that write, so a checkpoint never
 * covers an event whose effect is not stored (re-delivered, it is recognised by its key).
 */
import { z } from 'zod';
import type { Store } from '../../store/store.js';
import { CheckpointStore, type Checkpoint } from '../../../streams/checkpoint.js';
import type { StreamItem } from '../../../streams/streamItem.js';
import type { PlacedVaultEvent } from './vaultEvents.js';

const bigintString = z.string().regex(/^-?\d+$/);

const userSchema = z.object({ deposited: bigintString, withdrawn: bigintString, sharesIn: bigintString, firstAt: z.number(), deposits: z.number().int() });
const historySchema = z.object({ key: z.string(), at: z.number(), kind: z.string(), user: z.string().optional(), amounts: z.record(z.string(), bigintString), txHash: z.string(), blockNumber: z.number().int() });
const booksSchema = z.object({
  applied: z.array(z.string()),
  users: z.record(z.string(), userSchema),
  totals: z.object({
    deposited: bigintString, withdrawn: bigintString, managementFees: bigintString, performanceFees: bigintString, lpFees0: bigintString, lpFees1: bigintString,
    deposits: z.number().int(), withdrawals: z.number().int(), rebalances: z.number().int(),
  }),
  history: z.array(historySchema),
  sharePrice: z.array(z.object({ at: z.number(), price: bigintString })),
});

export type VaultBooks = z.infer<typeof booksSchema>;
export type VaultUserBooks = z.infer<typeof userSchema>;
export type VaultHistoryEntry = z.infer<typeof historySchema>;

/** Keys, history entries and share-price points kept (oldest dropped first). */
const KEYS_KEPT = 20_000;
const HISTORY_KEPT = 500;
const PRICES_KEPT = 5_000;

function emptyBooks(): VaultBooks {
  return {
    applied: [], users: {},
    totals: { deposited: '0', withdrawn: '0', managementFees: '0', performanceFees: '0', lpFees0: '0', lpFees1: '0', deposits: 0, withdrawals: 0, rebalances: 0 },
    history: [], sharePrice: [],
  };
}

const add = (a: string, b: bigint): string => (BigInt(a) + b).toString();

/** What an applied item changed, for the caller to act on. */
export interface LedgerChange {
  kind: PlacedVaultEvent['kind'];
  /** A deposit (true) or its retraction: capital to deploy. */
  deploy: boolean;
  retracted: boolean;
}

export class VaultLedger {
  private books: VaultBooks = emptyBooks();
  private applied = new Set<string>();
  private version = 0;
  private writing: Promise<void> = Promise.resolve();
  private writeError: unknown;

  constructor(private readonly store: Store, readonly key: string, private readonly now: () => number) {}

  async load(): Promise<void> {
    const v = await this.store.get(this.key);
    if (v === null) return;
    this.books = booksSchema.parse(v.value);
    this.version = v.version;
    this.applied = new Set(this.books.applied);
  }

  /** The books as they are now (a copy is not made: do not mutate). */
  get state(): Readonly<VaultBooks> {
    return this.books;
  }

  user(address: string): VaultUserBooks | null {
    return this.books.users[address.toLowerCase()] ?? null;
  }

  /** Net capital: everything deposited less everything withdrawn, raw quote units. */
  netDeposited(): bigint {
    return BigInt(this.books.totals.deposited) - BigInt(this.books.totals.withdrawn);
  }

  /** Applies an event (once) or undoes a retracted one (once); null when it was already so. */
  apply(item: StreamItem<PlacedVaultEvent>): LedgerChange | null {
    const retract = item.kind === 'retraction';
    if (retract !== this.applied.has(item.key)) return null;
    const sign = retract ? -1n : 1n;
    const e = item.event;
    const t = this.books.totals;
    const n = retract ? -1 : 1;
    let user: string | undefined;
    let amounts: Record<string, string> = {};
    switch (e.kind) {
      case 'DepositMade': {
        user = e.user.toLowerCase();
        const u = this.books.users[user] ?? { deposited: '0', withdrawn: '0', sharesIn: '0', firstAt: this.now(), deposits: 0 };
        this.books.users[user] = { ...u, deposited: add(u.deposited, sign * e.assets), sharesIn: add(u.sharesIn, sign * e.shares), deposits: u.deposits + n };
        this.books.totals = { ...t, deposited: add(t.deposited, sign * e.assets), deposits: t.deposits + n };
        amounts = { assets: e.assets.toString(), shares: e.shares.toString() };
        break;
      }
      case 'WithdrawalExecuted': {
        user = e.user.toLowerCase();
        const u = this.books.users[user] ?? { deposited: '0', withdrawn: '0', sharesIn: '0', firstAt: this.now(), deposits: 0 };
        this.books.users[user] = { ...u, withdrawn: add(u.withdrawn, sign * e.assets) };
        this.books.totals = { ...t, withdrawn: add(t.withdrawn, sign * e.assets), withdrawals: t.withdrawals + n };
        amounts = { assets: e.assets.toString() };
        break;
      }
      case 'VaultFeesCollected':
        this.books.totals = { ...t, managementFees: add(t.managementFees, sign * e.managementFee), performanceFees: add(t.performanceFees, sign * e.performanceFee) };
        amounts = { managementFee: e.managementFee.toString(), performanceFee: e.performanceFee.toString() };
        break;
      case 'PositionFeesCollected':
        this.books.totals = { ...t, lpFees0: add(t.lpFees0, sign * e.fees0), lpFees1: add(t.lpFees1, sign * e.fees1) };
        amounts = { tokenId: e.tokenId.toString(), fees0: e.fees0.toString(), fees1: e.fees1.toString() };
        break;
      case 'PositionCreated':
      case 'PositionRebalanced':
        this.books.totals = { ...t, rebalances: t.rebalances + n };
        amounts = { tokenId: (e.kind === 'PositionCreated' ? e.tokenId : e.newTokenId).toString(), liquidity: e.liquidity.toString(), tickLower: String(e.tickLower), tickUpper: String(e.tickUpper) };
        break;
    }
    if (retract) {
      this.applied.delete(item.key);
      this.books.history = this.books.history.filter((h) => h.key !== item.key);
    } else {
      this.applied.add(item.key);
      if (this.applied.size > KEYS_KEPT) this.applied.delete(this.applied.values().next().value as string);
      this.books.history = [...this.books.history, { key: item.key, at: this.now(), kind: e.kind, ...(user === undefined ? {} : { user }), amounts, txHash: e.txHash, blockNumber: e.blockNumber }].slice(-HISTORY_KEPT);
    }
    this.persist();
    return { kind: e.kind, deploy: e.kind === 'DepositMade' && !retract, retracted: retract };
  }

  /** Records the share price (assets per 1e18 share units) at the injected clock's now. */
  recordSharePrice(price: bigint): void {
    const last = this.books.sharePrice.at(-1);
    if (last !== undefined && last.price === price.toString() && this.now() - last.at < 60_000) return;
    this.books.sharePrice = [...this.books.sharePrice, { at: this.now(), price: price.toString() }].slice(-PRICES_KEPT);
    this.persist();
  }

  private persist(): void {
    this.books.applied = [...this.applied];
    const value = structuredClone(this.books);
    this.writing = this.writing.then(async () => {
      try {
        this.version = await this.store.put(this.key, value, this.version);
      } catch (err) {
        this.writeError = err;
      }
    });
  }

  /** Waits for every queued write; throws the first that failed. */
  async flush(): Promise<void> {
    await this.writing;
    if (this.writeError !== undefined) throw this.writeError;
  }
}

/** The follower's checkpoint store for the ledger's stream: a checkpoint is saved only once the books it covers are. */
export class LedgerCheckpointStore extends CheckpointStore {
  constructor(store: Store, key: string, private readonly ledger: VaultLedger) {
    super(store, key);
  }

  override async save(cp: Checkpoint): Promise<void> {
    await this.ledger.flush();
    await super.save(cp);
  }
}
