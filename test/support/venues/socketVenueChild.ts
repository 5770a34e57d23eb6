/**
 * Child process for the no-leftover-handle test: opens a ccxt venue against the stand-in at
 * argv[3], receives one fill through its user socket and one mark price through its public
 * socket, closes the venue (both still subscribed) and returns — it must then
 * exit on its own. Prints one JSON line: the fill it saw and the resources still active after close.
 */
import { firstValueFrom, filter, timeout } from 'rxjs';
import { createCcxtVenue } from '../../../src/adapters/exchange/ccxt/index.js';
import { LogCapture } from './logCapture.js';
import { venueOptions, type VenueName } from './venueHarness.js';

const name = process.argv[2] as VenueName;
const baseUrl = process.argv[3] ?? '';
const capture = new LogCapture();
const venue = createCcxtVenue(venueOptions(name, baseUrl, capture, { timeouts: { requestMs: 2_000, fillPollMs: 60_000 } }));
const fill = firstValueFrom(venue.fills$.pipe(filter((f) => f.clientOrderId === 'rk-child-1'), timeout(15_000)));
const marks: number[] = [];
venue.markPrices$(['ETH/USDT:USDT']).subscribe((m) => marks.push(m.price));
// The order goes in once the socket is live and caught up (its fill must come through the socket).
while (!capture.text().includes('fill socket live, caught up')) await new Promise((r) => setTimeout(r, 10));
await venue.createOrder({ clientOrderId: 'rk-child-1', symbol: 'ETH/USDT:USDT', side: 'buy', amount: 0.1, type: 'market' });
const got = await fill;
while (marks.length === 0) await new Promise((r) => setTimeout(r, 10));
await venue.close();
process.stdout.write(`${JSON.stringify({ fill: got.clientOrderId, mark: marks[0], active: process.getActiveResourcesInfo() })}\n`);
