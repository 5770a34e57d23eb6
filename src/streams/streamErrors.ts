/** A reorg reached below the oldest block we still remember: what it removed is unknown. */
export class ReorgTooDeepError extends Error {
  override readonly name = 'ReorgTooDeepError';
  constructor(readonly head: number, readonly oldestKnown: number) {
    super(`streams: reorg below block ${oldestKnown} (our head ${head}); raise reorgWindow or confirmations and re-sync`);
  }
}

/** The saved checkpoint's block is no longer on the canonical chain (or not on this chain at all). */
export class CheckpointNotCanonicalError extends Error {
  override readonly name = 'CheckpointNotCanonicalError';
  constructor(readonly block: number, readonly savedHash: string, readonly chainHash: string | null) {
    super(`streams: checkpoint block ${block} has hash ${savedHash} but the chain has ${chainHash ?? 'no such block'}; no earlier checkpoint kept with it is on the chain either (a reorg deeper than they reach, or another chain); re-scan deliberately (rangekeeper events --reset-checkpoint --from-block N)`);
  }
}
