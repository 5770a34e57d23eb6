/**
 * Every hedge order's client order id and intent is in the agent's store, durably, before the
 * order reaches the venue (a kill -9 right after the venue call cannot lose it). The venue here is
 * the real paper exchange behind the recording decorator; at each createOrder it reads the real
 * file store to see what was journaled by then.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreOrderJournal } from '../../src/adapters/exchange/orderJournal.js';
import type { Order, OrderRequest } from '../../src/adapters/exchange/venue.js';
import { FileStore } from '../../src/adapters/store/fileStore.js';
import { createLogger } from '../../src/logging/logger.js';
import { startFixture, SYMBOL, VENUE_ID, type Fixture } from './support/fixture.js';
import { RecordingVenue } from './support/recordingVenue.js';

/** The recording venue, noting at each createOrder whether its client order id was journaled already. */
class JournalCheckingVenue extends RecordingVenue {
  journal: StoreOrderJournal | null = null;
  journaledBeforeSend: boolean[] = [];
  override async createOrder(req: OrderRequest): Promise<Order> {
    const journaled = (await this.journal!.all()).map((o) => o.clientOrderId);
    this.journaledBeforeSend.push(journaled.includes(req.clientOrderId));
    return super.createOrder(req);
  }
}

let f: Fixture | undefined;
let dir = '';

afterEach(async () => {
  await f?.stop();
  f = undefined;
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

describe('hedge orders', () => {
  it('are journaled in the store by client order id before they leave', async () => {
    dir = await mkdtemp(join(tmpdir(), 'rk-orders-'));
    const store = await FileStore.open(dir);
    const venue = new JournalCheckingVenue({ id: VENUE_ID, balance: 50_000, symbols: [{ symbol: SYMBOL, base: 'ETH', price: 3000 }] }, { logger: createLogger({ level: 'silent' }) });
    venue.journal = new StoreOrderJournal(store, `agent/test/orders/${VENUE_ID}`);
    f = await startFixture({ store, venue, venueBalance: 50_000 });
    await f.move(3000);
    await f.move(3300);
    await f.move(2700);
    expect(venue.attempts.length).toBeGreaterThan(0);
    expect(venue.journaledBeforeSend).toEqual(venue.attempts.map(() => true));
    const journaled = await venue.journal.all();
    expect(journaled.map((o) => o.clientOrderId)).toEqual(venue.attempts);
    expect(journaled.every((o) => o.symbol === SYMBOL && o.amount > 0 && o.sequence !== null)).toBe(true);
  });
});
