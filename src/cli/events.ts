/**
 * `rangekeeper events`: follows Uniswap v4 PoolManager events of chosen pools and prints each
 * confirmed event, and each retraction after a reorg, as one JSON line on stdout.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { filter } from 'rxjs';
import { readManifest } from '../adapters/chain/devnet/manifest.js';
import { ChainIdMismatchError, RpcUnreachableError } from '../adapters/chain/errors.js';
import type { PoolManagerEventType } from '../adapters/chain/poolManagerEvents.js';
import { connectChain } from '../adapters/chain/provider.js';
import { FileStore } from '../adapters/store/fileStore.js';
import { MemoryStore } from '../adapters/store/memoryStore.js';
import type { Store } from '../adapters/store/store.js';
import { createLogger } from '../logging/logger.js';
import { CheckpointStore } from '../streams/checkpoint.js';
import { headsFor } from '../streams/heads.js';
import { poolEventStreams } from '../streams/poolEvents.js';
import { PoolStreamConfigSchema } from '../streams/streamConfig.js';
import type { PoolStreamItem } from '../streams/poolEventFollower.js';
import { CliUsageError } from './usageError.js';

const HELP = `usage: rangekeeper events [options]

Follows the PoolManager's Swap / ModifyLiquidity / Initialize / Donate events of the chosen
pools: backfills from the checkpoint (or --from-block) in chunks, then follows new blocks.
Prints one JSON line per confirmed event ({"kind":"event",...}) and per event a reorg removed
({"kind":"retraction",...}); integers are decimal strings. Logs go to stderr.

options:
  --manifest FILE        a devnet manifest (default .devnet/manifest.json when --rpc is absent)
  --rpc URL              HTTP JSON-RPC endpoint; repeat for failover
  --ws URL               WebSocket endpoint for new heads; repeatable (default: HTTP polling)
  --chain-id N           the chain id every endpoint must serve (required with --rpc)
  --pool-manager ADDR    the PoolManager address (required with --rpc)
  --pool ID              a PoolId to follow; repeatable (default: the manifest's pools, or all)
  --type T               only this event type (Swap, ModifyLiquidity, Initialize, Donate); repeatable
  --from-block N|latest  where to start without a checkpoint (default: the manifest's deployment block, else latest)
  --confirmations N      blocks on top before an event is delivered (default 2)
  --chunk-size N         blocks per eth_getLogs while backfilling (default 2000)
  --reorg-window N       recent blocks checked for reorgs (default 128)
  --data-dir DIR         keep the checkpoint in this directory's file store and resume from it;
                         after a reorg removed the checkpoint's block, resumes from the newest
                         earlier checkpoint still on the chain (a warning names the blocks whose
                         events may have been removed)
  --reset-checkpoint     forget the checkpoint in --data-dir and start from --from-block (the way
                         out when no kept checkpoint is on the chain any more)
  --max-events N         exit after printing N events
`;

const TYPES: readonly PoolManagerEventType[] = ['Swap', 'ModifyLiquidity', 'Initialize', 'Donate'];

function int(name: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min) throw new CliUsageError(`--${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
}

/** Turns a stream item into a JSON line (bigints as decimal strings). */
export function itemToJson(item: PoolStreamItem): string {
  return JSON.stringify(item, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/**
 * Runs the command, writing JSON lines to `out`; resolves with the exit code once `signal`
 * aborts, --max-events is reached, or the stream fails.
 */
export async function runEvents(args: string[], out: (line: string) => void, signal: AbortSignal): Promise<number> {
  let v;
  try {
    v = parseArgs({
      args,
      options: {
        manifest: { type: 'string' }, rpc: { type: 'string', multiple: true }, ws: { type: 'string', multiple: true },
        'chain-id': { type: 'string' }, 'pool-manager': { type: 'string' }, pool: { type: 'string', multiple: true },
        type: { type: 'string', multiple: true }, 'from-block': { type: 'string' }, confirmations: { type: 'string' },
        'chunk-size': { type: 'string' }, 'reorg-window': { type: 'string' }, 'data-dir': { type: 'string' },
        'max-events': { type: 'string' }, 'reset-checkpoint': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (err) {
    throw new CliUsageError((err as Error).message);
  }
  if (v.help) { out(HELP); return 0; }
  const types = (v.type ?? []).map((t) => {
    const found = TYPES.find((x) => x.toLowerCase() === t.toLowerCase());
    if (found === undefined) throw new CliUsageError(`--type must be one of ${TYPES.join(', ')}, got "${t}"`);
    return found;
  });
  const maxEvents = int('max-events', v['max-events'], 1);
  // a PoolId is 32 bytes; anything else matches no log and would be followed forever
  const badPool = (v.pool ?? []).find((p) => !/^0x[0-9a-fA-F]{64}$/.test(p));
  if (badPool !== undefined) throw new CliUsageError(`--pool must be a 32-byte PoolId (0x and 64 hex digits), got "${badPool}"`);

  let chainId: number;
  let http: string[];
  let ws: string[];
  let poolManager: string;
  let poolIds = v.pool ?? [];
  let defaultFrom: number | 'latest' = 'latest';
  if (v.rpc !== undefined) {
    const id = int('chain-id', v['chain-id'], 1);
    if (id === undefined || v['pool-manager'] === undefined) throw new CliUsageError('--rpc needs --chain-id and --pool-manager');
    chainId = id; http = v.rpc; ws = v.ws ?? []; poolManager = v['pool-manager'];
  } else {
    const file = v.manifest ?? '.devnet/manifest.json';
    if (!existsSync(file)) throw new CliUsageError(`no manifest at ${file}: start \`rangekeeper devnet\` or pass --rpc/--chain-id/--pool-manager`);
    const m = await readManifest(file);
    chainId = m.chainId; http = [m.rpcUrl]; ws = v.ws ?? [m.wsUrl]; poolManager = v['pool-manager'] ?? m.contracts.poolManager;
    if (poolIds.length === 0) poolIds = m.pools.map((p) => p.id);
    defaultFrom = m.deployedAtBlock;
  }
  const fromRaw = v['from-block'];
  const cfg = PoolStreamConfigSchema.safeParse({
    fromBlock: fromRaw === undefined ? defaultFrom : fromRaw === 'latest' ? 'latest' : Number(fromRaw),
    ...(v.confirmations === undefined ? {} : { confirmations: Number(v.confirmations) }),
    ...(v['chunk-size'] === undefined ? {} : { chunkSize: Number(v['chunk-size']) }),
    ...(v['reorg-window'] === undefined ? {} : { reorgWindow: Number(v['reorg-window']) }),
  });
  if (!cfg.success) throw new CliUsageError(cfg.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));

  const logger = createLogger({ name: 'events', destination: process.stderr });
  let conn;
  try {
    conn = await connectChain({ chainId, http, ws }, logger);
  } catch (err) {
    if (err instanceof ChainIdMismatchError || err instanceof RpcUnreachableError) { process.stderr.write(`rangekeeper events: ${err.message}\n`); return 1; }
    throw err;
  }
  const store: Store = v['data-dir'] === undefined ? new MemoryStore() : await FileStore.open(v['data-dir']);
  try {
    const checkpoints = new CheckpointStore(store, `stream/${chainId}/${poolManager.toLowerCase()}/events`);
    if (v['reset-checkpoint']) await checkpoints.reset();
    const { all$ } = poolEventStreams({
      provider: conn.provider, poolManager, poolIds, heads: headsFor(conn, logger, cfg.data.pollIntervalMs),
      checkpoints,
      fromBlock: cfg.data.fromBlock, confirmations: cfg.data.confirmations, chunkSize: cfg.data.chunkSize,
      reorgWindow: cfg.data.reorgWindow, retryDelayMs: cfg.data.retryDelayMs, logger,
    });
    return await new Promise<number>((resolve) => {
      let printed = 0;
      const sub = all$.pipe(filter((i) => types.length === 0 || types.includes(i.event.type))).subscribe({
        next: (item) => {
          out(itemToJson(item));
          if (item.kind === 'event' && maxEvents !== undefined && ++printed >= maxEvents) { sub.unsubscribe(); resolve(0); }
        },
        error: (err: unknown) => { process.stderr.write(`rangekeeper events: ${err instanceof Error ? err.message : String(err)}\n`); resolve(1); },
      });
      signal.addEventListener('abort', () => { sub.unsubscribe(); resolve(0); }, { once: true });
    });
  } finally {
    conn.destroy();
    await store.close();
  }
}

/** `rangekeeper events ...` until SIGINT/SIGTERM or --max-events. */
export async function run(args: string[]): Promise<number> {
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await runEvents(args, (line) => process.stdout.write(`${line}\n`), ac.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
