/**
 * The life cycle the venue's socket streams (fills, mark prices) share: an Observable whose
 * producer is one async loop that sleeps through a Sleeper, stops on unsubscribe or when the
 * venue's `signal` aborts (waking every sleep, so no timer outlives it), and on unsubscribe from a
 * still open venue closes its socket. A loop that throws errors the stream unless it was stopped.
 */
import { Observable, type Subscriber } from 'rxjs';
import { Sleeper } from './sleeper.js';

export interface SocketLoopContext<T> {
  subscriber: Subscriber<T>;
  /** True once unsubscribed or the venue closed: the loop should return. */
  stopped: () => boolean;
  /** Resolves after `ms`, or at once when the stream stops. */
  sleep: (ms: number) => Promise<void>;
}

export interface SocketLoopOptions<T> {
  /** Aborted when the venue closes. */
  signal: AbortSignal;
  loop: (ctx: SocketLoopContext<T>) => Promise<void>;
  /** Closes the stream's socket on unsubscribe (not after the venue closed: closing it closed them all). */
  close?: () => Promise<void>;
}

export function socketLoop<T>(o: SocketLoopOptions<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const sleeper = new Sleeper();
    let unsubscribed = false;
    const stopped = (): boolean => unsubscribed || o.signal.aborted;
    const onAbort = (): void => sleeper.stop();
    o.signal.addEventListener('abort', onAbort, { once: true });

    o.loop({ subscriber, stopped, sleep: (ms) => sleeper.sleep(ms) }).catch((err: unknown) => {
      if (!stopped()) subscriber.error(err);
    });
    return () => {
      unsubscribed = true;
      o.signal.removeEventListener('abort', onAbort);
      sleeper.stop();
      if (o.close !== undefined && !o.signal.aborted) void o.close().catch(() => undefined);
    };
  });
}

/** Wait before reconnecting after the `failures`-th failure in a row: doubling from `baseMs`, capped at `maxMs`. */
export function reconnectDelayMs(baseMs: number, maxMs: number, failures: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 20));
}
