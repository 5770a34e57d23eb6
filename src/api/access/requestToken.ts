/**
 * Where a request carries its API token: `Authorization: Bearer <token>`, or, for the WebSocket
 * feed (a browser cannot set headers on a WebSocket), the subprotocol `bearer.<token>` offered
 * beside `rangekeeper`: `new WebSocket(url, ['rangekeeper', 'bearer.' + token])`. The server
 * answers with the `rangekeeper` subprotocol, never echoing the token.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** The subprotocol the feed answers with. */
export const FEED_SUBPROTOCOL = 'rangekeeper';
const BEARER_PROTOCOL = 'bearer.';

/** The token a request carries, or null. */
export function requestToken(headers: IncomingHttpHeaders): string | null {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m === null ? null : m[1]!;
  }
  const protocols = headers['sec-websocket-protocol'];
  if (typeof protocols === 'string' && headers.upgrade !== undefined) {
    for (const p of protocols.split(',')) {
      const t = p.trim();
      if (t.startsWith(BEARER_PROTOCOL) && t.length > BEARER_PROTOCOL.length) return t.slice(BEARER_PROTOCOL.length);
    }
  }
  return null;
}

/** The subprotocol the feed answers an upgrade with: `rangekeeper` when offered, none otherwise (a bearer.* one never). */
export function chooseFeedProtocol(offered: Set<string>): string | false {
  return offered.has(FEED_SUBPROTOCOL) ? FEED_SUBPROTOCOL : false;
}
