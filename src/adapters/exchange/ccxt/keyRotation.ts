/**
 * Keeps a running ccxt venue on the current generation of its key: when the key store's record
 * is rotated (`rangekeeper keys rotate <venue> <label>`), the venue is handed the new key without
 * a restart, so an operator can rotate and then revoke the old key while the agent keeps running.
 */
import type { Logger } from '../../../logging/logger.js';
import type { KeyStore, VenueId } from '../../keys/keyStore.js';
import type { CcxtVenue } from './ccxtVenue.js';

export interface KeyRotationOptions {
  venue: Pick<CcxtVenue, 'id' | 'updateCredentials'>;
  keyStore: KeyStore;
  kind: VenueId;
  label: string;
  /** The generation the venue was opened with. */
  generation: number;
  intervalMs: number;
  log: Logger;
}

/** Checks the key store every `intervalMs`; returns a function that stops checking. */
export function followKeyRotation(o: KeyRotationOptions): () => void {
  let current = o.generation;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    o.keyStore
      .get(o.kind, o.label)
      .then(({ credentials, info }) => {
        if (info.generation > current) {
          o.venue.updateCredentials(credentials);
          o.log.info({ venue: o.venue.id, label: o.label, generation: info.generation, fingerprint: info.fingerprint }, 'rotated API key picked up');
          current = info.generation;
        }
      })
      .catch((err: unknown) => o.log.error({ venue: o.venue.id, label: o.label, err: err instanceof Error ? err.message : String(err) }, 'key rotation check failed'))
      .finally(() => {
        busy = false;
      });
  }, o.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
