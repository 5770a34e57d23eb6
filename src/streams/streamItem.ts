/**
 * What a reorg-safe event stream delivers: an event once it is confirmed, or the retraction of
 * an event delivered earlier whose block a reorg removed from the canonical chain. Consumers
 * undo a retracted event's effect; a retraction always follows its event, never precedes it.
 */
export type StreamItem<E> =
  | { kind: 'event'; key: string; event: E }
  | { kind: 'retraction'; key: string; event: E; /** highest block still canonical */ forkBlock: number };
