/**
 * The journal of orders the agent is about to send: each order's client order id and intent is
 * appended durably (the file store fsyncs each line; Redis per its persistence) BEFORE the venue
 * call, so after a kill -9 the agent and its operator know every order that may have reached the
 * venue, even when the ExchangeActor's checkpoint (written behind) never caught up. Entries read
 * back are validated with zod.
 */
import { z } from 'zod';
import type { Store } from '../store/store.js';

export const journaledOrderSchema = z.object({
  clientOrderId: z.string().min(1).max(64),
  symbol: z.string().min(1),
  side: z.enum(['buy', 'sell']),
  amount: z.number().positive().finite(),
  reduceOnly: z.boolean(),
  /** The hedge intent's sequence (null for a halt's flattening order). */
  sequence: z.number().int().nonnegative().nullable(),
  at: z.number(),
});
export type JournaledOrder = z.infer<typeof journaledOrderSchema>;

/** Where orders are journaled before they leave. */
export interface OrderJournal {
  /** Appends the order; resolves once it is durable. */
  record(order: JournaledOrder): Promise<void>;
  /** Every journaled order, oldest first. */
  all(): Promise<JournaledOrder[]>;
}

/** The order journal as an append-only log in the agent's Store under `key`. */
export class StoreOrderJournal implements OrderJournal {
  constructor(private readonly store: Store, private readonly key: string) {}

  async record(order: JournaledOrder): Promise<void> {
    await this.store.append(this.key, journaledOrderSchema.parse(order));
  }

  async all(): Promise<JournaledOrder[]> {
    return z.array(journaledOrderSchema).parse(await this.store.read(this.key));
  }
}
