/**
 * Alerts reach people: the configured channels POST to loopback receivers standing in for a
 * webhook, Slack and Telegram's Bot API; a 500 is retried, a repeat is de-duplicated, severities
 * below a channel's minimum stay off it, and no URL or token reaches the log.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertDispatcher } from '../../src/adapters/notify/alertDispatcher.js';
import { channelNotifier } from '../../src/adapters/notify/channels.js';
import { notifyConfigSchema } from '../../src/adapters/notify/notifyConfig.js';
import { createLogger } from '../../src/logging/logger.js';

interface Received { path: string; body: Record<string, unknown> }

describe('alert delivery to loopback receivers', () => {
  let server: Server;
  let base = '';
  const received: Received[] = [];
  let failNext = 0;
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        if (failNext > 0) {
          failNext -= 1;
          res.writeHead(500).end();
          return;
        }
        received.push({ path: req.url ?? '', body: JSON.parse(data) as Record<string, unknown> });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('delivers to webhook, Slack and Telegram, retries a 500, de-duplicates, filters by severity, logs no secret', async () => {
    const env = { HOOK_URL: `${base}/hook/s3cretpath`, SLACK_URL: `${base}/slack/T000/B000/XXXXSECRET`, TG_TOKEN: '123456:SECRET-BOT-TOKEN' };
    const cfg = notifyConfigSchema.parse({
      channels: [
        { kind: 'webhook', urlEnv: 'HOOK_URL', minSeverity: 'info' },
        { kind: 'slack', urlEnv: 'SLACK_URL', minSeverity: 'warning' },
        { kind: 'telegram', botTokenEnv: 'TG_TOKEN', chatId: 42, apiUrl: base, minSeverity: 'critical' },
      ],
      backoffMs: 10, attempts: 3,
    });
    let logged = '';
    const log = createLogger({ level: 'debug', destination: new Writable({ write: (c: Buffer, _e, cb) => { logged += c.toString(); cb(); } }) });
    const d = new AlertDispatcher(cfg.channels.map((c) => channelNotifier(c, env)), cfg, log);
    failNext = 1; // the first delivery fails once with a 500
    d.notify({ agentId: 'a', at: 1, severity: 'critical', rule: 'halt', message: 'kill switch: halted' });
    d.notify({ agentId: 'a', at: 2, severity: 'critical', rule: 'halt', message: 'kill switch: halted' }); // duplicate
    d.notify({ agentId: 'a', at: 3, severity: 'info', rule: 'unreachable', message: 'rpc reachable again' });
    for (let i = 0; i < 200 && !d.idle; i++) await new Promise((r) => setTimeout(r, 20));
    await d.close(1_000);

    expect(d.stats).toMatchObject({ sent: 4, failed: 0, deduplicated: 1 });
    const paths = received.map((r) => r.path.replace(/\/(s3cretpath|T000.*|bot.*)$/, ''));
    expect(paths.filter((p) => p === '/hook')).toHaveLength(2);
    expect(paths.filter((p) => p === '/slack')).toHaveLength(1);
    const tg = received.find((r) => r.path === `/bot${env.TG_TOKEN}/sendMessage`);
    expect(tg?.body).toMatchObject({ chat_id: 42 });
    expect(String(tg?.body['text'])).toContain('kill switch: halted');
    expect(received.find((r) => r.path.startsWith('/hook'))?.body).toMatchObject({ severity: 'critical', rule: 'halt', message: 'kill switch: halted' });
    expect(logged).toContain('retrying');
    for (const secret of ['s3cretpath', 'XXXXSECRET', 'SECRET-BOT-TOKEN']) expect(logged).not.toContain(secret);
  });
});
