import { z } from 'zod';

const rpcUrl = (protocols: RegExp) => z.url().refine((u) => protocols.test(u), { message: `URL scheme must match ${protocols.source}` });

/** The `chain` section of the config: which chain, and where to reach it. */
export const ChainRpcConfigSchema = z.object({
  /** The chain id every endpoint must serve (1 mainnet, 8453 Base, 31337 anvil...). */
  chainId: z.number().int().positive(),
  /** HTTP(S) JSON-RPC endpoints in order of preference; the first reachable ones are used with failover. */
  http: z.array(rpcUrl(/^https?:/)).min(1),
  /** WebSocket endpoints (for newHeads), in order of preference; may be empty (then polling). */
  ws: z.array(rpcUrl(/^wss?:/)).default([]),
  /** Per-request timeout when probing an endpoint at start. */
  probeTimeoutMs: z.number().int().positive().default(5_000),
  /** Per-request timeout of reads; a request that times out is retried on the next endpoint. */
  requestTimeoutMs: z.number().int().positive().default(30_000),
});
export type ChainRpcConfig = z.infer<typeof ChainRpcConfigSchema>;
export type ChainRpcConfigInput = z.input<typeof ChainRpcConfigSchema>;
