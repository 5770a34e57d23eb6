import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/logger.js';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('createLogger', () => {
  it('redacts secrets at the top level and nested, keeps the rest', () => {
    const out = capture();
    const log = createLogger({ destination: out.stream });
    log.info({ apiKey: 'AK-123', venue: { secret: 'S-456', name: 'binance' }, cfg: { exchange: { privateKey: '0xdead' } } }, 'hello');
    const text = out.text();
    expect(text).not.toContain('AK-123');
    expect(text).not.toContain('S-456');
    expect(text).not.toContain('0xdead');
    expect(text).toContain('binance');
    expect(text).toContain('[redacted]');
  });

  it('redacts the HTTP API token and venue key headers', () => {
    const out = capture();
    const log = createLogger({ destination: out.stream });
    log.info({ apiToken: 'TOKEN-789', riskControl: { apiToken: 'TOKEN-790' }, headers: { 'x-bapi-api-key': 'BK-111', 'x-mbx-apikey': 'MK-222' } }, 'request');
    const text = out.text();
    for (const s of ['TOKEN-789', 'TOKEN-790', 'BK-111', 'MK-222']) expect(text).not.toContain(s);
  });
});
