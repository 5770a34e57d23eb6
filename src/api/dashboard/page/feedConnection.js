// The agent's state feed (/ws): every actor's state on connect, then each change, one JSON
// object per message ({actor, kind, at, state}). Reconnects with backoff when the socket drops;
// a new connection starts with a fresh snapshot, so nothing is missed for long.
import { feedProtocols, feedUrl } from './token.js';

const MIN_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;

export class FeedConnection {
  /**
   * @param {(event: {actor: string, kind: string, at: number, state: object}) => void} onEvent
   * @param {(status: string) => void} onStatus
   */
  constructor(onEvent, onStatus) {
    this.onEvent = onEvent;
    this.onStatus = onStatus;
    this.socket = null;
    this.retryMs = MIN_RETRY_MS;
    this.timer = null;
    this.events = 0;
  }

  open() {
    clearTimeout(this.timer);
    if (this.socket !== null) {
      this.socket.onclose = null;
      this.socket.close();
    }
    let socket;
    try {
      socket = new WebSocket(feedUrl(), feedProtocols());
    } catch {
      // a token with characters a subprotocol cannot carry
      this.onStatus('refused: that token cannot be sent (invalid characters)');
      return;
    }
    this.socket = socket;
    this.onStatus('connecting');
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.retryMs = MIN_RETRY_MS;
      this.onStatus('live');
    };
    socket.onmessage = (m) => {
      let event;
      try {
        event = JSON.parse(m.data);
      } catch {
        return;
      }
      if (event === null || typeof event !== 'object' || typeof event.kind !== 'string' || typeof event.state !== 'object') return;
      this.events += 1;
      this.onEvent(event);
    };
    socket.onclose = (e) => {
      // 1008 (policy) / 4401: the server refused the token; retrying with the same one is pointless
      const refused = e.code === 1008 || e.code === 4401 || e.code === 4403;
      // refused before the handshake (401: no valid token) looks like any failed connection to a page
      const why = opened ? 'disconnected' : 'not connected (is the API token set and valid?)';
      this.onStatus(refused ? 'refused: set a viewer token' : `${why}; retrying in ${Math.round(this.retryMs / 1000)} s`);
      if (refused) return;
      this.timer = setTimeout(() => this.open(), this.retryMs);
      this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
    };
  }
}
