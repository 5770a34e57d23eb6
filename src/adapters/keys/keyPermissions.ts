import { z } from 'zod';
import type { Logger } from '../../logging/logger.js';
import { KeyStoreError } from './keyErrors.js';
import type { VenueId } from './keyStore.js';

/** What a venue says an API key may do. */
export interface KeyPermissions {
  venue: VenueId;
  canTrade: boolean;
  canWithdraw: boolean;
  ipRestricted: boolean;
  /** Permission names as the venue reports them, for the log. */
  reported: string[];
}

/** Binance GET /sapi/v1/account/apiRestrictions (ccxt: sapiGetAccountApiRestrictions). */
const BinanceRestrictions = z.object({
  ipRestrict: z.boolean(),
  enableWithdrawals: z.boolean(),
  enableFutures: z.boolean(),
  enableReading: z.boolean().optional(),
  enableInternalTransfer: z.boolean().optional(),
  permitsUniversalTransfer: z.boolean().optional(),
  enableSpotAndMarginTrading: z.boolean().optional(),
});

/** Bybit GET /v5/user/query-api (ccxt: privateGetV5UserQueryApi). */
const BybitApiInfo = z.object({
  retCode: z.union([z.number(), z.string()]),
  result: z.object({
    readOnly: z.union([z.number(), z.string()]),
    ips: z.array(z.string()).default([]),
    permissions: z.record(z.string(), z.array(z.string())),
  }),
});

export class PermissionResponseError extends Error {
  override readonly name = 'PermissionResponseError';
  constructor(readonly venue: VenueId, detail: string) {
    super(`${venue}: cannot read the API key's permissions: ${detail}`);
  }
}

/** Reads Binance's apiRestrictions answer. */
export function binancePermissions(raw: unknown): KeyPermissions {
  const r = BinanceRestrictions.safeParse(raw);
  if (!r.success) throw new PermissionResponseError('binanceusdm', r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const d = r.data;
  const reported = Object.entries(d).filter(([, v]) => v === true).map(([k]) => k);
  return { venue: 'binanceusdm', canTrade: d.enableFutures, canWithdraw: d.enableWithdrawals, ipRestricted: d.ipRestrict, reported };
}

/** Reads Bybit's query-api answer: withdrawal is a "Withdraw" entry (Bybit puts it in the Wallet group). */
export function bybitPermissions(raw: unknown): KeyPermissions {
  const r = BybitApiInfo.safeParse(raw);
  if (!r.success) throw new PermissionResponseError('bybit', r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  if (Number(r.data.retCode) !== 0) throw new PermissionResponseError('bybit', `retCode ${r.data.retCode}`);
  const { permissions, readOnly, ips } = r.data.result;
  const reported = Object.entries(permissions).flatMap(([group, list]) => list.map((p) => `${group}.${p}`));
  // Bybit lists "Withdraw" under Wallet; in any group it means the key can withdraw.
  const canWithdraw = Object.values(permissions).flat().includes('Withdraw');
  const canTrade = Number(readOnly) === 0 && ((permissions['ContractTrade'] ?? []).includes('Order') || (permissions['Derivatives'] ?? []).includes('DerivativesTrade'));
  return { venue: 'bybit', canTrade, canWithdraw, ipRestricted: !(ips.length === 0 || ips.includes('*')), reported };
}

export interface PermissionCheckOptions {
  venue: VenueId;
  /** Calls the venue's permission endpoint and returns its raw JSON. */
  fetchRaw: () => Promise<unknown>;
  /** Operator's explicit override to run with a key that can withdraw. */
  allowWithdraw?: boolean;
  log: Logger;
}

/**
 * The start-up check: refuses a key that can withdraw (unless overridden) or cannot trade
 * futures. Logs the check and its result either way.
 */
export async function enforceKeyPermissions(opts: PermissionCheckOptions): Promise<KeyPermissions> {
  const raw = await opts.fetchRaw();
  const p = opts.venue === 'binanceusdm' ? binancePermissions(raw) : bybitPermissions(raw);
  const verdict = p.canWithdraw && opts.allowWithdraw !== true ? 'refused' : p.canTrade ? 'accepted' : 'refused';
  opts.log.info({ venue: p.venue, canTrade: p.canTrade, canWithdraw: p.canWithdraw, ipRestricted: p.ipRestricted, reported: p.reported, override: opts.allowWithdraw === true, verdict }, 'API key permission check');
  if (p.canWithdraw && opts.allowWithdraw !== true) {
    throw new KeyStoreError('WITHDRAW_PERMISSION', `${p.venue}: this API key can withdraw funds; create a key with trading permission only, or start with --allow-withdraw-key if you really mean it`);
  }
  if (!p.canTrade) throw new KeyStoreError('BAD_INPUT', `${p.venue}: this API key cannot trade futures; enable futures/derivatives trading on it`);
  if (p.canWithdraw) opts.log.warn({ venue: p.venue }, 'running with a key that can withdraw (explicit override)');
  if (!p.ipRestricted) opts.log.warn({ venue: p.venue }, 'API key is not restricted to IP addresses; the venue recommends an IP whitelist');
  return p;
}
