/**
 * Reads the JSON lines `rangekeeper events` prints, so that a user can record a live v4 pool and
 * backtest on it. Each line is `{"kind":"event","key":…,"event":{…}}` or
 * `{"kind":"retraction","key":…,"event":{…},"forkBlock":n}` (a reorg removed that event: it is
 * dropped); integers are decimal strings. Events of one pool are kept (the file's only pool, or
 * `poolId`); lines must be in chain order. v4 Swap amounts are the swapper's delta, so they are
 * negated into the pool-side convention of HistoryEvent; a ModifyLiquidity becomes a mint or a
 * burn of position `sender-tickLower-tickUpper-salt` (v4 logs carry no token amounts).
 * A bad line throws BacktestInputError with the file, line and JSON field.
 */
import { z } from 'zod';
import { BacktestInputError, readInputText } from './inputError.js';
import { isBefore, type HistoryEvent, type HistoryPosition } from './poolHistory.js';

const int = z.string().regex(/^-?\d+$/, 'an integer as a decimal string').transform((s) => BigInt(s));
const small = z.number().int();
const base = { poolId: z.string(), blockNumber: small.nonnegative(), logIndex: small.nonnegative() };
const eventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Swap'), ...base, amount0: int, amount1: int, sqrtPriceX96: int, liquidity: int, tick: small, fee: small }),
  z.object({ type: z.literal('ModifyLiquidity'), ...base, sender: z.string(), tickLower: small, tickUpper: small, liquidityDelta: int, salt: z.string() }),
  z.object({ type: z.literal('Initialize'), ...base, fee: small, tickSpacing: small, sqrtPriceX96: int, tick: small }),
  z.object({ type: z.literal('Donate'), ...base, amount0: int, amount1: int }),
]);
const lineSchema = z.object({ kind: z.enum(['event', 'retraction']), key: z.string(), event: eventSchema });
type Parsed = z.infer<typeof lineSchema>;

export interface EventsJsonlOptions {
  /** The pool to keep; required when the file holds events of more than one pool. */
  poolId?: string;
}

function toHistory(e: Parsed['event']): HistoryEvent {
  const at: HistoryPosition = { block: e.blockNumber, logIndex: e.logIndex, time: undefined };
  switch (e.type) {
    case 'Swap':
      return { kind: 'swap', ...at, amount0: -e.amount0, amount1: -e.amount1, sqrtPriceX96: e.sqrtPriceX96, liquidity: e.liquidity, tick: e.tick };
    case 'ModifyLiquidity': {
      const position = `${e.sender.toLowerCase()}-${e.tickLower}-${e.tickUpper}-${e.salt.toLowerCase()}`;
      const kind = e.liquidityDelta < 0n ? 'burn' : 'mint';
      const liquidity = e.liquidityDelta < 0n ? -e.liquidityDelta : e.liquidityDelta;
      return { kind, ...at, position, tickLower: e.tickLower, tickUpper: e.tickUpper, liquidity, amount0: undefined, amount1: undefined };
    }
    case 'Initialize':
      return { kind: 'initialize', ...at, sqrtPriceX96: e.sqrtPriceX96, tick: e.tick, fee: e.fee, tickSpacing: e.tickSpacing };
    case 'Donate':
      return { kind: 'donate', ...at, amount0: e.amount0, amount1: e.amount1 };
  }
}

/** Parses the text of an events file (see the module comment). */
export function parseEventsJsonl(file: string, text: string, options: EventsJsonlOptions = {}): HistoryEvent[] {
  const kept: { key: string; event: HistoryEvent; line: number }[] = [];
  let pool = options.poolId?.toLowerCase();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new BacktestInputError(file, i + 1, '', 'not a JSON object (expected one line of `rangekeeper events`)');
    }
    const parsed = lineSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new BacktestInputError(file, i + 1, issue.path.join('.'), issue.message);
    }
    const { kind, key, event } = parsed.data;
    const eventPool = event.poolId.toLowerCase();
    if (pool === undefined) pool = eventPool;
    else if (eventPool !== pool) {
      if (options.poolId !== undefined) continue;
      throw new BacktestInputError(file, i + 1, 'event.poolId', `${event.poolId} is a second pool (the first was ${pool}); choose one with a pool id`);
    }
    if (kind === 'retraction') {
      const at = kept.findIndex((k) => k.key === key);
      if (at < 0) throw new BacktestInputError(file, i + 1, 'key', `retracts ${key}, which no earlier line delivered`);
      kept.splice(at, 1);
      continue;
    }
    const history = toHistory(event);
    const prev = kept[kept.length - 1];
    if (prev !== undefined && !isBefore(prev.event, history)) {
      throw new BacktestInputError(file, i + 1, 'event.logIndex', `(block ${history.block}, log ${history.logIndex}) is not after line ${prev.line}'s (block ${prev.event.block}, log ${prev.event.logIndex})`);
    }
    kept.push({ key, event: history, line: i + 1 });
  }
  if (kept.length === 0) throw new BacktestInputError(file, 0, '', pool === undefined ? 'no event lines' : `no events of pool ${pool}`);
  return kept.map((k) => k.event);
}

/** Reads an events file (see parseEventsJsonl). */
export async function readEventsJsonl(file: string, options: EventsJsonlOptions = {}): Promise<HistoryEvent[]> {
  return parseEventsJsonl(file, await readInputText(file), options);
}
