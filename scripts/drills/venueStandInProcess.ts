/**
 * The kill drill's venue stand-in, run as its own process (so the agent reaches it only over
 * loopback HTTP/websocket, as a real venue): the loopback Bybit or Binance USDⓈ-M server of
 * test/support/venues with its simulated account, the mark price of one market following a
 * devnet pool's price (the agent's reference price must agree with the pool, or it refuses to
 * roll), and, on request over IPC, its record of every order request and the account's positions.
 *
 *   node --import tsx scripts/drills/venueStandInProcess.ts '<StandInParams JSON>'
 *
 * It exits when the drill asks it to, or when the drill's IPC channel closes (the drill died).
 */
import { JsonRpcProvider } from 'ethers';
import { StateViewReader } from '../../src/adapters/chain/stateView.js';
import { rawToHumanPrice, sqrtPriceX96ToPrice } from '../../src/math/priceTick.js';
import { SimAccount } from '../../test/support/venues/simAccount.js';
import { startStandIn } from '../../test/support/venues/venueHarness.js';
import { parentMessageSchema, standInParamsSchema, type ChildMessage, type OrderRequest } from './venueMessages.js';

const send = (m: ChildMessage): void => {
  process.send?.(m);
};

const params = standInParamsSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
const account = new SimAccount(params.walletBalance);
const server = await startStandIn(params.venue, account);
const createRoute = params.venue === 'bybit' ? 'POST /v5/order/create' : 'POST /fapi/v1/order';
const clientIdParam = params.venue === 'bybit' ? 'orderLinkId' : 'newClientOrderId';

const provider = new JsonRpcProvider(params.rpcUrl, undefined, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
const stateView = new StateViewReader(params.stateView, provider);
const tickSize = account.market(params.marketId).tickSize;

/** Moves the mark to the pool's price of the asset (rounded to the market's tick). */
async function followPool(): Promise<void> {
  const slot0 = await stateView.getSlot0(params.poolId);
  const human = rawToHumanPrice(sqrtPriceX96ToPrice(slot0.sqrtPriceX96), params.decimals0, params.decimals1);
  const asset = params.assetIsToken0 ? human : 1 / human;
  const mark = Math.round(asset / tickSize) * tickSize;
  if (Number.isFinite(mark) && mark > 0 && mark !== account.market(params.marketId).markPrice) account.setMarkPrice(params.marketId, Number(mark.toFixed(8)));
}
await followPool();
let following = true;
const loop = async (): Promise<void> => {
  while (following) {
    await new Promise((r) => setTimeout(r, params.markPollMs));
    // a failed read (the devnet stopping first) keeps the last mark
    await followPool().catch(() => undefined);
  }
};
const looping = loop();

function report(): ChildMessage {
  const requests: OrderRequest[] = server.log
    .filter((r) => r.route === createRoute)
    .map((r) => ({ clientId: r.params[clientIdParam] ?? '', accepted: false }));
  // a request is accepted when the venue's book holds its id and it is the first request with that id
  const seen = new Set<string>();
  for (const r of requests) {
    r.accepted = !seen.has(r.clientId) && account.orders.has(r.clientId);
    seen.add(r.clientId);
  }
  const positions: Record<string, number> = {};
  for (const [sym, p] of account.positions) positions[sym] = p.size;
  return {
    type: 'report', requests, accepted: account.orders.size, duplicateRejections: account.duplicateRejections, positions,
    markPrice: account.market(params.marketId).markPrice,
  };
}

let stopping: Promise<void> | undefined;
function stop(): Promise<void> {
  stopping ??= (async () => {
    following = false;
    await looping;
    provider.destroy();
    await server.stop();
    if (process.connected) process.disconnect();
  })();
  return stopping;
}

process.on('message', (raw: unknown) => {
  const m = parentMessageSchema.safeParse(raw);
  if (!m.success) return send({ type: 'error', message: `unknown message: ${JSON.stringify(raw)}` });
  if (m.data.type === 'report') return send(report());
  void stop();
});
process.on('disconnect', () => void stop().finally(() => process.exit(0)));
send({ type: 'ready', baseUrl: server.baseUrl });
