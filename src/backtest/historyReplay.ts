/**
 * Applies a recorded pool history to a PoolReplay, event by event, as the chain did: swaps are
 * replayed exactly (PoolReplay.replaySwap), a recorded position's mints and burns join or leave
 * the model as that position (so the others' liquidity is right on both sides of its range), a
 * burn of liquidity minted before the history starts comes out of the others' segments, donations
 * are donated. Collects and the initialize move nothing (fees are fee growth; the pool exists).
 */
import type { PoolReplay } from './poolReplay.js';
import type { HistoryEvent } from './poolHistory.js';

export class HistoryReplay {
  constructor(private readonly replay: PoolReplay) {}

  apply(e: HistoryEvent): void {
    const r = this.replay;
    switch (e.kind) {
      case 'swap':
        r.replaySwap(e);
        return;
      case 'mint':
        if (e.liquidity > 0n) r.addPosition(`history:${e.position}`, e.tickLower, e.tickUpper, e.liquidity, true);
        return;
      case 'burn': {
        const owner = `history:${e.position}`;
        const held = r.heldLiquidity(owner);
        const fromHeld = e.liquidity > held ? held : e.liquidity;
        if (fromHeld > 0n) r.removePosition(owner, fromHeld);
        // liquidity minted before the history began: it was counted among the others
        if (e.liquidity > fromHeld) r.othersChange(e.tickLower, e.tickUpper, -(e.liquidity - fromHeld));
        return;
      }
      case 'donate':
        r.pool.donate(e.amount0, e.amount1);
        return;
      case 'collect':
      case 'initialize':
        return;
    }
  }
}
