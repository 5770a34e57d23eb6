/**
 * The feed's observers (metrics, history, alerts) are off the event → decision path (issue 11): a
 * deliberately slow observer on `deferred$` (busy for 30 ms on every event) gets each position
 * state only after the decisions it led to were made — the hedge order for that move is already
 * on the venue — and still gets every event, in order. The same observer on `changes$` (inside the
 * actor's turn, where metrics, history and alerts used to run) sees the position state before the
 * hedge order exists: that is what this test tells apart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { StateEvent } from '../../src/actors/core/stateFeed.js';
import { startFixture, type Fixture } from './support/fixture.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.stop();
  f = undefined;
});

function busy(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) { /* a slow observer */ }
}

interface Seen {
  block: number;
  /** Hedge orders the venue had accepted when the observer got the position state of this block. */
  orders: number;
}

async function run(stream: 'deferred$' | 'changes$'): Promise<{ seen: Seen[]; moves: { block: number; ordersAfter: number }[]; all: StateEvent[] }> {
  f = await startFixture();
  const fx = f;
  const seen: Seen[] = [];
  const all: StateEvent[] = [];
  const orders = (): number => fx.venue.attempts.length;
  const sub = fx.agent.feed[stream].subscribe((e) => {
    all.push(e);
    if (e.kind === 'position') seen.push({ block: (e.state as { blockNumber: number }).blockNumber, orders: orders() });
    busy(30);
  });
  const moves: { block: number; ordersAfter: number }[] = [];
  for (const price of [3150, 2900, 3300]) {
    await fx.move(price);
    // let the deferred observer catch up before the next move
    for (let i = 0; i < 100 && fx.agent.feed.queued > 0; i++) await new Promise((r) => setTimeout(r, 10));
    const s = await fx.agent.position(fx.pools[0]!.poolId);
    moves.push({ block: s.blockNumber, ordersAfter: orders() });
  }
  sub.unsubscribe();
  return { seen, moves, all };
}

describe('a slow feed observer', () => {
  it('on deferred$ gets each move\'s position state only after that move\'s hedge order was placed, and every event in order', async () => {
    const { seen, moves, all } = await run('deferred$');
    for (const m of moves) {
      // each move re-hedged: an order went to the venue
      const first = seen.find((x) => x.block === m.block);
      expect(first).toBeDefined();
      // the observer saw the new block only once its hedge order was already on the venue
      expect(first!.orders).toBe(m.ordersAfter);
    }
    expect(moves[moves.length - 1]!.ordersAfter).toBeGreaterThanOrEqual(3);
    // nothing lost, nothing reordered: each actor's events arrive in publication order
    const byActor = new Map<string, number[]>();
    for (const e of all) byActor.set(e.actor, [...(byActor.get(e.actor) ?? []), e.at]);
    for (const ats of byActor.values()) expect(ats).toEqual([...ats].sort((a, b) => a - b));
    expect(f!.agent.feed.dropped).toBe(0);
  });

  it('on changes$ (inside the actor\'s turn) sees a move\'s position state before its hedge order: what deferred$ avoids', async () => {
    const { seen, moves } = await run('changes$');
    const early = moves.filter((m) => {
      const first = seen.find((x) => x.block === m.block);
      return first !== undefined && first.orders < m.ordersAfter;
    });
    expect(early.length).toBeGreaterThan(0);
  });
});
