// The operator's API token: typed once into the page, kept for this tab only (sessionStorage),
// sent as a bearer header on HTTP requests and, on the feed (a browser cannot set headers on a
// WebSocket), as the subprotocol `bearer.<token>` offered beside `rangekeeper` (the server
// answers `rangekeeper`, never echoing the token; it never appears in a URL or a log).
const KEY = 'rangekeeper.apiToken';

export function readToken() {
  try {
    return sessionStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

export function storeToken(token) {
  try {
    if (token === '') sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, token);
  } catch {
    // storage refused (private mode): the token lives for this page only
  }
}

/**
 * A token handed over in the page's address as `#token=…` (what `npm start` prints): kept like a
 * typed one, then removed from the address bar. A fragment never reaches the server or its logs.
 */
export function adoptTokenFromFragment() {
  const m = /^#token=([^&]+)$/.exec(location.hash);
  if (m === null) return;
  storeToken(decodeURIComponent(m[1]));
  history.replaceState(null, '', location.pathname + location.search);
}

/** Headers for an HTTP request to the agent. */
export function authHeaders(token = readToken()) {
  return token === '' ? {} : { authorization: `Bearer ${token}` };
}

/** The feed's URL on this server. */
export function feedUrl() {
  const url = new URL('/ws', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** The subprotocols the feed is opened with: the token rides in the second. */
export function feedProtocols(token = readToken()) {
  return token === '' ? ['rangekeeper'] : ['rangekeeper', `bearer.${token}`];
}
