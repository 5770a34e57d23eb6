import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = new URL('../../bin/rangekeeper.mjs', import.meta.url).pathname;
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rk-keys-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function keys(args: string[], input = '', master = 'f'.repeat(64)) {
  const r = spawnSync(process.execPath, [bin, 'keys', ...args, '--data-dir', dir], {
    input,
    encoding: 'utf8',
    env: { ...process.env, RANGEKEEPER_MASTER_KEY: master },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('rangekeeper keys', () => {
  it('adds from stdin, lists without secrets, rotates, removes', () => {
    const add = keys(['add', 'binanceusdm', 'main'], 'CLI-APIKEY-1\nCLI-SECRET-1\n');
    expect(add.code).toBe(0);
    expect(add.out).toMatch(/stored binanceusdm\/main \(fingerprint [0-9a-f]{12}, generation 1\)/);
    const list = keys(['list']);
    expect(list.code).toBe(0);
    expect(list.out).toContain('binanceusdm\tmain');
    const rot = keys(['rotate', 'binanceusdm', 'main'], 'CLI-APIKEY-2\nCLI-SECRET-2\n');
    expect(rot.out).toContain('generation 2');
    const json = JSON.parse(keys(['list', '--json']).out) as Array<{ generation: number }>;
    expect(json[0]?.generation).toBe(2);
    const all = [add, list, rot].map((r) => r.out + r.err).join('');
    expect(all).not.toMatch(/CLI-(APIKEY|SECRET)/);
    expect(keys(['remove', 'binanceusdm', 'main']).code).toBe(0);
    expect(keys(['list']).out).toContain('no credentials stored');
  });

  it('says so clearly for a wrong master key, a missing secret line, and a bad venue', () => {
    expect(keys(['add', 'bybit', 'main'], 'K\nS\n').code).toBe(0);
    const wrong = keys(['list'], '', 'e'.repeat(64));
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('master key does not match');
    const short = keys(['add', 'bybit', 'other'], 'only-one-line\n');
    expect(short.code).toBe(1);
    expect(short.err).toContain('expected two lines');
    const venue = keys(['add', 'kraken', 'main'], 'K\nS\n');
    expect(venue.err).toContain('unknown venue "kraken"');
  });
});
