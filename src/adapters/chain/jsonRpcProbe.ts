import WebSocket from 'ws';
import { z } from 'zod';

const JsonRpcReply = z.object({ result: z.string().regex(/^0x[0-9a-fA-F]+$/) });

/**
 * Asks one endpoint (http(s) or ws(s)) for eth_chainId, once, within `timeoutMs`. Returns the
 * chain id, or throws an Error whose message says why the endpoint failed. No retries: the
 * caller decides what an unreachable endpoint means.
 */
export async function probeChainId(url: string, timeoutMs: number): Promise<number> {
  const body = { jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] };
  const raw = url.startsWith('ws') ? await probeWs(url, body, timeoutMs) : await probeHttp(url, body, timeoutMs);
  const parsed = JsonRpcReply.safeParse(raw);
  if (!parsed.success) throw new Error(`unexpected eth_chainId reply ${JSON.stringify(raw).slice(0, 200)}`);
  return Number(BigInt(parsed.data.result));
}

async function probeHttp(url: string, body: object, timeoutMs: number): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return (await res.json()) as unknown;
}

function probeWs(url: string, body: object, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => { ws.terminate(); reject(new Error(`no answer within ${timeoutMs} ms`)); }, timeoutMs);
    const done = (fn: () => void) => { clearTimeout(timer); ws.removeAllListeners(); ws.on('error', () => {}); ws.terminate(); fn(); };
    ws.on('open', () => ws.send(JSON.stringify(body)));
    ws.on('message', (m) => done(() => { try { resolve(JSON.parse(m.toString()) as unknown); } catch (e) { reject(e instanceof Error ? e : new Error(String(e))); } }));
    ws.on('error', (e) => done(() => reject(e)));
    ws.on('close', () => done(() => reject(new Error('closed before answering'))));
  });
}
