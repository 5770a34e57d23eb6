/**
 * No secret in any output (issue 8, finding 5): the real CLI fed malformed secrets — a wallet
 * key one hex digit short, one with junk appended, one that is not hex at all; a too-short
 * master key; API credentials a venue (or a proxy in front of it) echoes back in its error —
 * with a malformed API token in the environment throughout. No 8-character piece of any
 * secret may appear on stdout or stderr.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, TEST_API_KEY, TEST_SECRET } from '../support/venues/venueHarness.js';
import { runCli, type CliResult } from '../support/cli.js';

const root = new URL('../../', import.meta.url).pathname;
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const WALLET = hex(32);
const SECRETS = {
  walletShort: `0x${WALLET.slice(0, 63)}`,
  walletJunk: `0x${WALLET}zz9q`,
  walletLong: `${WALLET}${hex(1)}`,
  walletWords: `correct-horse-${hex(8)}-battery`,
  masterShort: `mk${hex(4)}`,
  masterFile: `file${hex(5)}`,
  apiToken: `tok\u00e9n ${hex(12)}\t`,
  apiKey: TEST_API_KEY,
  apiSecret: TEST_SECRET,
};
const MASTER = hex(32);

/** Every 8-character piece of every secret that appears in `text`. */
function leaks(text: string): string[] {
  const found: string[] = [];
  for (const [name, s] of Object.entries(SECRETS)) {
    for (let i = 0; i + 8 <= s.length; i++) if (text.includes(s.slice(i, i + 8))) { found.push(`${name}: ${s.slice(i, i + 8)}`); break; }
  }
  return found;
}

const outputs: Array<{ what: string; r: CliResult }> = [];
function scan(what: string, r: CliResult): CliResult {
  outputs.push({ what, r });
  expect(leaks(r.stdout + r.stderr), `${what}:\n${r.stdout}\n${r.stderr}`).toEqual([]);
  return r;
}

/** Answers eth_chainId like anvil (31337), so `run` gets as far as building its wallet. */
function rpcStub(): Promise<Server> {
  const s = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const { id, method } = JSON.parse(body) as { id: number; method: string };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(method === 'eth_chainId' ? { jsonrpc: '2.0', id, result: '0x7a69' } : { jsonrpc: '2.0', id, error: { code: -32601, message: 'not here' } }));
    });
  });
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r(s)));
}

/** A proxy in front of the Bybit stand-in whose key-permission answer echoes the API key sent. */
async function echoingProxy(target: string): Promise<Server> {
  const s = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      void (async () => {
        if (req.url?.startsWith('/v5/user/query-api') === true) {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ retCode: 10003, retMsg: `API key ${String(req.headers['x-bapi-api-key'])} is invalid.`, result: {}, retExtInfo: {}, time: Date.now() }));
          return;
        }
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
        const up = await fetch(`${target}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(req.method === 'GET' || req.method === 'DELETE' ? {} : { body }) });
        res.statusCode = up.status;
        res.setHeader('content-type', up.headers.get('content-type') ?? 'application/json');
        res.end(await up.text());
      })();
    });
  });
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r(s)));
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rk-secrets-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('secrets scan: malformed secrets never reach the output', () => {
  it('run with a malformed wallet key names the variable, not the key', async () => {
    const rpc = await rpcStub();
    try {
      const url = `http://127.0.0.1:${(rpc.address() as { port: number }).port}`;
      for (const [name, key] of [['walletShort', SECRETS.walletShort], ['walletJunk', SECRETS.walletJunk], ['walletLong', SECRETS.walletLong], ['walletWords', SECRETS.walletWords]] as const) {
        const r = scan(name, await runCli(['run', '--config', join(root, 'examples/devnet.yaml')], {
          env: { RPC_URL: url, RANGEKEEPER_PRIVATE_KEY: key, RANGEKEEPER_API_TOKEN: SECRETS.apiToken, LOG_LEVEL: 'debug' },
        }));
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(/the wallet key in RANGEKEEPER_PRIVATE_KEY is not a private key/);
      }
    } finally {
      rpc.close();
    }
  });

  it('keys with a malformed master key (environment and file) or a missing API secret', async () => {
    const data = join(dir, 'keys');
    const env = { RANGEKEEPER_API_TOKEN: SECRETS.apiToken };
    const short = scan('masterShort', await runCli(['keys', 'list', '--data-dir', data], { env: { ...env, RANGEKEEPER_MASTER_KEY: SECRETS.masterShort } }));
    expect(short.code).toBe(1);
    const file = join(dir, 'master.key');
    await writeFile(file, SECRETS.masterFile, { mode: 0o600 });
    const fromFile = scan('masterFile', await runCli(['keys', 'list', '--data-dir', data, '--master-key-file', file], { env: { ...env, RANGEKEEPER_MASTER_KEY: '' } }));
    expect(fromFile.code).toBe(1);
    const noSecret = scan('apiKey only', await runCli(['keys', 'add', 'bybit', 'main', '--data-dir', data], { env: { ...env, RANGEKEEPER_MASTER_KEY: MASTER }, input: `${SECRETS.apiKey}\n` }));
    expect(noSecret.code).toBe(1);
  });

  it('venue check against a venue that echoes the API key in its error', async () => {
    const data = join(dir, 'venue');
    const env = { RANGEKEEPER_MASTER_KEY: MASTER, RANGEKEEPER_API_TOKEN: SECRETS.apiToken, LOG_LEVEL: 'debug' };
    const added = scan('keys add', await runCli(['keys', 'add', 'bybit', 'main', '--data-dir', data], { env, input: `${SECRETS.apiKey}\n${SECRETS.apiSecret}\n` }));
    expect(added.code, added.stderr).toBe(0);
    const standIn = await startStandIn('bybit');
    const proxy = await echoingProxy(standIn.baseUrl);
    try {
      const url = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
      const r = scan('venue check', await runCli(['venue', 'check', 'bybit', 'main', '--data-dir', data, '--api-url', url], { env }));
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/is invalid/); // the venue's answer got through, without the key
    } finally {
      proxy.close();
      await standIn.stop();
    }
  });
});
