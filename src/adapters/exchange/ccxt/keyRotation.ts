/**
 * Keeps a running ccxt venue on the current generation of its key: when the key store's record
 * is rotated (`rangekeeper keys rotate <venue> <label>`), the venue is handed the new key without
 * a restart, so an operator can rotate and then revoke the old key while the agent keeps running.
 *
 * A rotated key is checked as at start before it is swapped in: one the venue says can withdraw
 * (without the operator's override) or cannot trade futures is refused, the venue keeps its
 * current key, and an error says so; that generation is not tried again (a later rotation is).
 * A check that fails for another reason (the venue did not answer) is tried again next time.
 */
import type { Logger } from '../../../logging/logger.js';
import type { KeyPermissions } from '../../keys/keyPermissions.js';
import { KeyStoreError } from '../../keys/keyErrors.js';
import type { KeyStore, VenueId } from '../../keys/keyStore.js';
import type { CcxtVenue, VenueCredentials } from './ccxtVenue.js';

export interface KeyRotationOptions {
  venue: Pick<CcxtVenue, 'id' | 'updateCredentials'>;
  keyStore: KeyStore;
  kind: VenueId;
  label: string;
  /** The generation the venue was opened with. */
  generation: number;
  /** The start-up permission check on the new credentials (OpenedVenue.checkKey); throws KeyStoreError to refuse. */
  checkKey: (credentials: VenueCredentials) => Promise<KeyPermissions | null>;
  intervalMs: number;
  log: Logger;
}

/** Checks the key store every `intervalMs`; returns a function that stops checking. */
export function followKeyRotation(o: KeyRotationOptions): () => void {
  let current = o.generation;
  /** The newest generation refused: not checked again. */
  let refused = 0;
  let busy = false;
  const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    const where = { venue: o.venue.id, label: o.label };
    o.keyStore
      .get(o.kind, o.label)
      .then(async ({ credentials, info }) => {
        if (info.generation <= current || info.generation <= refused) return;
        try {
          await o.checkKey(credentials);
        } catch (err) {
          if (!(err instanceof KeyStoreError)) throw err;
          refused = info.generation;
          o.log.error({ ...where, generation: info.generation, fingerprint: info.fingerprint, code: err.code, reason: err.message, keeping: current }, 'rotated API key refused; the venue keeps its current key');
          return;
        }
        o.venue.updateCredentials(credentials);
        o.log.info({ ...where, generation: info.generation, fingerprint: info.fingerprint }, 'rotated API key picked up');
        current = info.generation;
      })
      .catch((err: unknown) => o.log.error({ ...where, err: describe(err) }, 'key rotation check failed'))
      .finally(() => {
        busy = false;
      });
  }, o.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
