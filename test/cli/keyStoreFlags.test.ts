import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { KEY_STORE_OPTIONS, storeConfigFromFlags } from '../../src/cli/keyStoreFlags.js';

const flags = (args: string[]) => parseArgs({ args, options: KEY_STORE_OPTIONS }).values;

describe('key store flags', () => {
  it('name the key store of the embedded store in ./data by default, in --data-dir when given', () => {
    expect(storeConfigFromFlags(flags([]))).toEqual({ kind: 'file', dataDir: './data', keysOnly: true });
    expect(storeConfigFromFlags(flags(['--data-dir', '/tmp/rk']))).toEqual({ kind: 'file', dataDir: '/tmp/rk', keysOnly: true });
  });

  it('name Redis when --redis is given, whatever --data-dir says', () => {
    expect(storeConfigFromFlags(flags(['--data-dir', '/tmp/rk', '--redis', 'redis://127.0.0.1:6379']))).toEqual({ kind: 'redis', url: 'redis://127.0.0.1:6379' });
    expect(flags(['--master-key-file', '/tmp/mk'])['master-key-file']).toBe('/tmp/mk');
  });
});
