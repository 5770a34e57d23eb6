/**
 * `rangekeeper venue check <binanceusdm|bybit> <label>`: connects to a venue with stored
 * credentials (see `rangekeeper keys`), runs the start-up permission check, and prints markets,
 * balance, positions and funding, changing nothing. Use it to verify a testnet setup
 * (`--sandbox`) before pointing the agent at it.
 */
import { parseArgs } from 'node:util';
import { openCcxtVenue } from '../adapters/exchange/ccxt/openVenue.js';
import { VenueConfigSchema } from '../adapters/exchange/ccxt/venueConfig.js';
import { openStore } from '../adapters/store/openStore.js';
import { VenueError } from '../adapters/exchange/errors.js';
import { KeyStoreError } from '../adapters/keys/keyErrors.js';
import { fieldIssues } from '../config/fieldIssues.js';
import { createLogger } from '../logging/logger.js';
import { KEY_STORE_OPTIONS, storeConfigFromFlags } from './keyStoreFlags.js';
import { openKeyStore } from './openKeyStore.js';
import { describeFailure } from './failure.js';
import { CliUsageError } from './usageError.js';

const HELP = `usage: rangekeeper venue check <binanceusdm|bybit> <label> [options]

  Connects with the stored key <label>, checks its permissions (a key that can withdraw is
  refused), and prints markets, balance, positions and funding rates. Places no order and
  changes no setting.

options:
  --sandbox               use the venue's testnet (Binance futures testnet, Bybit testnet)
  --symbols LIST          comma-separated perp symbols (default ETH/USDT:USDT)
  --allow-withdraw-key    accept a key that can withdraw (not recommended)
  --api-url URL           send REST requests to this base URL instead (a proxy or stand-in)
  --data-dir DIR          embedded store directory (default ./data)
  --redis URL             use a Redis store instead
  --master-key-file FILE  master key file (mode 0600); RANGEKEEPER_MASTER_KEY wins when set
  --json                  one JSON object instead of text
`;

/** `rangekeeper venue check ...`. Exit codes: 0 ok, 1 venue/key failure, 2 usage. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      sandbox: { type: 'boolean', default: false },
      symbols: { type: 'string', default: 'ETH/USDT:USDT' },
      'allow-withdraw-key': { type: 'boolean', default: false },
      'api-url': { type: 'string' },
      ...KEY_STORE_OPTIONS,
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [action, venueName, label] = positionals;
  if (values.help || action === undefined) {
    console.log(HELP);
    return values.help ? 0 : 2;
  }
  if (action !== 'check') throw new CliUsageError(`unknown action "${action}" (expected: check)`);
  if (venueName === undefined || label === undefined) throw new CliUsageError('check needs <venue> <label>');
  const parsed = VenueConfigSchema.safeParse({ venue: venueName, label, sandbox: values.sandbox, symbols: values.symbols.split(',').map((s) => s.trim()).filter((s) => s !== '') });
  if (!parsed.success) {
    // name the field (venue, label, symbols), never dump the zod JSON
    const what: Record<string, string> = { venue: '<venue>', label: '<label>', symbols: '--symbols' };
    throw new CliUsageError(fieldIssues(parsed.error).map((i) => `${what[i.path.split('.')[0]!] ?? i.path}: ${i.message}`).join('; '));
  }
  const config = parsed.data;
  // Logs go to stderr so that --json output on stdout stays one clean object.
  const log = createLogger({ name: 'venue-check', level: process.env['LOG_LEVEL'] ?? 'warn', destination: process.stderr });
  const store = await openStore(storeConfigFromFlags(values));
  try {
    const keys = await openKeyStore(store, values['master-key-file']);
    const { credentials, info } = await keys.get(config.venue, label);
    const opts = { config, credentials, log, allowWithdrawKey: values['allow-withdraw-key'], applyLeverage: false };
    const { venue, permissions } = await openCcxtVenue(values['api-url'] === undefined ? opts : { ...opts, apiBaseUrl: values['api-url'] });
    try {
      const markets = await venue.loadMarkets();
      const balance = await venue.fetchBalance();
      const positions = await venue.fetchPositions();
      const funding = [];
      for (const s of config.symbols) funding.push(await venue.fetchFundingRate(s));
      const report = { venue: venue.id, endpoint: venue.restEndpoint, sandbox: config.sandbox, key: info.fingerprint, permissions, markets, balance, positions, funding };
      if (values.json) {
        console.log(JSON.stringify(report));
      } else {
        console.log(`${venue.id} at ${venue.restEndpoint}${config.sandbox ? ' (testnet)' : ''}, key ${info.fingerprint}`);
        console.log(permissions === null ? 'permissions: not checked (Binance futures testnet has no endpoint for it)' : `permissions: trade ${permissions.canTrade ? 'yes' : 'no'}, withdraw ${permissions.canWithdraw ? 'YES' : 'no'}, IP whitelist ${permissions.ipRestricted ? 'yes' : 'no (recommended)'}`);
        for (const m of markets) console.log(`market ${m.symbol}: lot ${m.amountStep}, min ${m.minAmount} ${m.base}, min notional ${m.minNotional} ${m.quote}, tick ${m.priceStep}`);
        console.log(`balance: ${balance.total} ${balance.currency} total, ${balance.free} free, ${balance.used} used`);
        for (const p of positions) console.log(`position ${p.symbol}: ${p.size} at ${p.entryPrice}, mark ${p.markPrice}, uPnL ${p.unrealizedPnl}, leverage ${p.leverage}`);
        if (positions.length === 0) console.log('positions: none');
        for (const f of funding) console.log(`funding ${f.symbol}: ${f.rate} next ${f.nextFundingTime === null ? '?' : new Date(f.nextFundingTime).toISOString()}`);
      }
      return 0;
    } finally {
      await venue.close();
    }
  } catch (err) {
    if (err instanceof VenueError || err instanceof KeyStoreError) {
      console.error(`rangekeeper venue check: ${describeFailure(err).line}`);
      return 1;
    }
    throw err;
  } finally {
    await store.close();
  }
}
