/**
 * Hides the credentials an RPC URL often carries (Alchemy/Infura/QuickNode put the API key in the
 * path, others in the query or as user:password) so an endpoint can be named in errors and logs.
 * What stays is what an operator needs to tell endpoints apart: scheme, host, port and the path's
 * short, non-secret-looking segments.
 */
const SECRET_LOOKING = /^[A-Za-z0-9_-]{16,}$/;

export function redactRpcUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '<unparsable RPC URL>';
  }
  const auth = url.username !== '' || url.password !== '' ? '***@' : '';
  const path = url.pathname.split('/').map((s) => (SECRET_LOOKING.test(s) ? '***' : s)).join('/');
  const query = url.search === '' ? '' : '?***';
  return `${url.protocol}//${auth}${url.host}${path === '/' ? '' : path}${query}`;
}

/** `text` with every occurrence of `url` replaced by its redacted form (for errors that quote it). */
export function redactRpcUrlIn(text: string, url: string): string {
  return text.split(url).join(redactRpcUrl(url));
}
