/**
 * Closes some of a ccxt exchange's websocket clients (those carrying given subscriptions), the
 * way ccxt's own close() closes all of them: pending watches reject with ExchangeClosedByUser and
 * the next watch opens a new connection. Lets the fill socket be reset without the mark price
 * socket (and the other way round).
 */
import { ExchangeClosedByUser, type Exchange } from 'ccxt';

/** Closes every client with a subscription key for which `matches` holds; resolves when they are closed. */
export async function closeWsClients(exchange: Exchange, matches: (subscriptionKey: string) => boolean): Promise<void> {
  const closing: Promise<unknown>[] = [];
  for (const [url, client] of Object.entries(exchange.clients)) {
    if (!Object.keys(client.subscriptions).some(matches)) continue;
    client.error = new ExchangeClosedByUser(`${exchange.id} closedByUser`);
    delete exchange.clients[url];
    closing.push(Promise.resolve(client.close()));
  }
  await Promise.all(closing);
}
