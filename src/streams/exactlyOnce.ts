import { filter, type MonoTypeOperatorFunction } from 'rxjs';
import type { StreamItem } from './streamItem.js';

/**
 * Lets an event through only if its key is not already live, and a retraction only if its key
 * is live; so downstream sees each event once and never a retraction of something it did not
 * see, whatever the source repeats (e.g. a re-subscribed follower re-reading a range).
 * Remembers at most `capacity` live keys (oldest forgotten first).
 */
export function exactlyOnce<E>(capacity = 100_000): MonoTypeOperatorFunction<StreamItem<E>> {
  return (source) => {
    const live = new Set<string>();
    return source.pipe(
      filter((item) => {
        if (item.kind === 'event') {
          if (live.has(item.key)) return false;
          live.add(item.key);
          if (live.size > capacity) live.delete(live.values().next().value as string);
          return true;
        }
        return live.delete(item.key);
      }),
    );
  };
}
