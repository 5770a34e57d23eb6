/**
 * The common shape of an actor that publishes its state: a `getState` query is answered with the
 * current state (and changes nothing, so nothing is published); every other message is handled
 * and the state it leaves is published to the state feed.
 */
import { reply, type Behaviour, type BehaviourContext, type ReplyTo } from './typedActors.js';

/** The state query every publishing actor answers. */
export interface GetStateMsg<S> {
  type: 'getState';
  replyTo: ReplyTo<S>;
}

/** Messages other than the state query. */
export type CommandOf<M> = Exclude<M, { type: 'getState' }>;

/**
 * Wraps `handle` (every message but getState) into a Behaviour that answers getState and
 * publishes the state each other message leaves. Synchronous handlers stay synchronous.
 */
export function publishingBehaviour<S, M extends { type: string }>(
  handle: (state: S, msg: CommandOf<M>, ctx: BehaviourContext<M>) => S | Promise<S>,
  publish: (state: S) => void,
): Behaviour<S, M> {
  return (s, msg, ctx) => {
    if (msg.type === 'getState') {
      reply((msg as unknown as GetStateMsg<S>).replyTo, s);
      return s;
    }
    const next = handle(s, msg as CommandOf<M>, ctx);
    if (next instanceof Promise) {
      return next.then((n) => {
        publish(n);
        return n;
      });
    }
    publish(next);
    return next;
  };
}
