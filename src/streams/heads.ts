import type { Observable } from 'rxjs';
import type { ChainConnection } from '../adapters/chain/provider.js';
import type { Logger } from '../logging/logger.js';
import { pollingHeads } from './pollingHeads.js';
import { wsHeads } from './wsHeads.js';

/**
 * New-head notifications for a connection: WebSocket newHeads when the connection has a live
 * WS endpoint (with reconnect and failover across them), HTTP polling every `pollIntervalMs`
 * otherwise. Heads only trigger scans; followers read ranges from their own cursor, so a
 * missed head never loses an event.
 */
export function headsFor(conn: ChainConnection, logger: Logger, pollIntervalMs: number): Observable<number> {
  return conn.wsUrls.length > 0 ? wsHeads({ urls: conn.wsUrls, logger }) : pollingHeads(conn.provider, pollIntervalMs, logger);
}
